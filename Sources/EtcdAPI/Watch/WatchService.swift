import EtcdProto
import GRPCCore

/// etcd's Watch service: each bidirectional stream is a `WatchStream` with its own watchers.
public struct WatchService: Etcdserverpb_Watch.ServiceProtocol {
    let context: EtcdServerContext

    public init(context: EtcdServerContext) {
        self.context = context
    }

    public func watch(
        request: StreamingServerRequest<Etcdserverpb_WatchRequest>, context serverContext: ServerContext
    ) async throws -> StreamingServerResponse<Etcdserverpb_WatchResponse> {
        let stream = WatchStream(context: context, metadata: request.metadata, remotePeer: serverContext.remotePeer)
        return StreamingServerResponse { writer in
            try await stream.run(requests: request.messages, writer: writer)
            return [:]
        }
    }
}
