import EtcdProto
import GRPCCore
import NIOCore
import NIOHPACK
import SwiftProtobuf

/// The calls `UnaryFastPathHandler` answers itself (KV's unary calls, lease grant and revoke),
/// and how: each decodes its request, runs the same service code as the gRPC service (auth,
/// validation, etcd's errors), counts itself in the same metrics as `GRPCMetricsInterceptor`,
/// and encodes the response as one gRPC message.
public struct UnaryFastPathRoutes: Sendable {
    /// A method answered on the fast path.
    enum Method: Sendable {
        case range, put, deleteRange, txn, leaseGrant, leaseRevoke

        var descriptor: MethodDescriptor {
            switch self {
            case .range: Etcdserverpb_KV.Method.Range.descriptor
            case .put: Etcdserverpb_KV.Method.Put.descriptor
            case .deleteRange: Etcdserverpb_KV.Method.DeleteRange.descriptor
            case .txn: Etcdserverpb_KV.Method.Txn.descriptor
            case .leaseGrant: Etcdserverpb_Lease.Method.LeaseGrant.descriptor
            case .leaseRevoke: Etcdserverpb_Lease.Method.LeaseRevoke.descriptor
            }
        }
    }

    /// A decoded request, ready to run.
    struct Call {
        let run: (_ completion: @escaping @Sendable (Result<ByteBuffer, RPCError>) -> Void) -> Void
    }

    private let kv: KVService
    private let lease: LeaseService
    private let metrics: EtcdMetrics
    /// The largest request message accepted (as grpc-swift's `maxRequestPayloadSize`); larger
    /// ones go to grpc-swift, which refuses them with its own error.
    let maxMessageBytes: Int

    /// - Parameters:
    ///   - maxMessageBytes: the transport's `maxRequestPayloadSize`.
    public init(context: EtcdServerContext, metrics: EtcdMetrics, maxMessageBytes: Int) {
        self.kv = KVService(context: context)
        self.lease = LeaseService(context: context)
        self.metrics = metrics
        self.maxMessageBytes = maxMessageBytes
    }

    /// The fast method these request headers open, or nil when grpc-swift should answer: another
    /// method, not gRPC, or a compressed request.
    func method(for headers: HPACKHeaders) -> Method? {
        guard headers.first(name: ":method") == "POST",
              let contentType = headers.first(name: "content-type"), contentType.hasPrefix("application/grpc"),
              contentType == "application/grpc" || contentType == "application/grpc+proto"
        else { return nil }
        if let encoding = headers.first(name: "grpc-encoding"), encoding != "identity" { return nil }
        switch headers.first(name: ":path") {
        case "/etcdserverpb.KV/Range": return .range
        case "/etcdserverpb.KV/Put": return .put
        case "/etcdserverpb.KV/DeleteRange": return .deleteRange
        case "/etcdserverpb.KV/Txn": return .txn
        case "/etcdserverpb.Lease/LeaseGrant": return .leaseGrant
        case "/etcdserverpb.Lease/LeaseRevoke": return .leaseRevoke
        default: return nil
        }
    }

    /// Decodes `message` for `method`; nil if it does not decode (grpc-swift then answers).
    func call(_ method: Method, message: ByteBuffer, headers: HPACKHeaders, channel: any Channel) -> Call? {
        let bytes = Array(message.readableBytesView)
        let rpc = metrics.rpcMetrics(for: method.descriptor, type: "unary")
        let metadata = Self.metadata(headers, authOn: kv.context.auth.isEnabled)
        let peer = { RemotePeerAddress.grpcString(of: channel.parent ?? channel) }
        let (kv, lease) = (kv, lease)
        switch method {
        case .range:
            guard let request = try? Etcdserverpb_RangeRequest(serializedBytes: bytes) else { return nil }
            return Call { completion in
                let start = ContinuousClock.now
                rpc.rpcStarted()
                let outcome = Result { try kv.rangeNow(request, metadata: metadata, peer: peer()) }
                completion(Self.finish(outcome, rpc: rpc, start: start))
            }
        case .put:
            guard let request = try? Etcdserverpb_PutRequest(serializedBytes: bytes) else { return nil }
            return Call { completion in
                let start = ContinuousClock.now
                rpc.rpcStarted()
                kv.put(request, metadata: metadata, peer: peer()) { completion(Self.finish($0, rpc: rpc, start: start)) }
            }
        case .deleteRange:
            guard let request = try? Etcdserverpb_DeleteRangeRequest(serializedBytes: bytes) else { return nil }
            return Call { completion in
                let start = ContinuousClock.now
                rpc.rpcStarted()
                kv.deleteRange(request, metadata: metadata, peer: peer()) { completion(Self.finish($0, rpc: rpc, start: start)) }
            }
        case .txn:
            guard let request = try? Etcdserverpb_TxnRequest(serializedBytes: bytes) else { return nil }
            return Call { completion in
                let start = ContinuousClock.now
                rpc.rpcStarted()
                kv.txn(request, metadata: metadata, peer: peer()) { completion(Self.finish($0, rpc: rpc, start: start)) }
            }
        case .leaseGrant:
            guard let request = try? Etcdserverpb_LeaseGrantRequest(serializedBytes: bytes) else { return nil }
            return Call { completion in
                let start = ContinuousClock.now
                rpc.rpcStarted()
                lease.grant(request, metadata: metadata, peer: peer()) { completion(Self.finish($0, rpc: rpc, start: start)) }
            }
        case .leaseRevoke:
            guard let request = try? Etcdserverpb_LeaseRevokeRequest(serializedBytes: bytes) else { return nil }
            return Call { completion in
                let start = ContinuousClock.now
                rpc.rpcStarted()
                lease.revoke(request, metadata: metadata, peer: peer()) { completion(Self.finish($0, rpc: rpc, start: start)) }
            }
        }
    }

    /// Encodes a response as one gRPC message and records the call's end.
    private static func finish(
        _ outcome: Result<some SwiftProtobuf.Message, any Error>, rpc: RPCMetrics, start: ContinuousClock.Instant
    ) -> Result<ByteBuffer, RPCError> {
        let result: Result<ByteBuffer, RPCError>
        do {
            let bytes: [UInt8] = try outcome.get().serializedBytes()
            var buffer = ByteBuffer()
            buffer.reserveCapacity(5 + bytes.count)
            buffer.writeInteger(UInt8(0))
            buffer.writeInteger(UInt32(bytes.count))
            buffer.writeBytes(bytes)
            result = .success(buffer)
        } catch {
            result = .failure(Self.rpcError(error))
        }
        rpc.rpcHandled(code: GRPCMetricsInterceptor.goName(result.failureCode), duration: ContinuousClock.now - start)
        return result
    }

    /// The error as grpc-swift would send it for a service that threw it.
    static func rpcError(_ error: any Error) -> RPCError {
        if let error = error as? RPCError { return error }
        if let convertible = error as? any RPCErrorConvertible { return RPCError(convertible) }
        return RPCError(code: .unknown, message: "Service method threw an unknown error.")
    }

    /// The request metadata the auth checks read; only built when auth is on.
    private static func metadata(_ headers: HPACKHeaders, authOn: Bool) -> Metadata {
        guard authOn else { return [:] }
        var metadata = Metadata()
        for (name, value, _) in headers where !name.hasPrefix(":") {
            metadata.addString(value, forKey: name)
        }
        return metadata
    }
}

extension Result where Failure == RPCError {
    fileprivate var failureCode: RPCError.Code? {
        if case .failure(let error) = self { return error.code }
        return nil
    }
}

extension UnaryFastPathRoutes {
    /// Puts the fast path in front of grpc-swift on a newly accepted HTTP/2 stream; for
    /// `HTTP2ServerTransport.Config.ChannelDebuggingCallbacks.onAcceptHTTP2Stream`.
    public func install(on stream: any Channel) -> EventLoopFuture<Void> {
        stream.eventLoop.makeCompletedFuture {
            try stream.pipeline.syncOperations.addHandler(UnaryFastPathHandler(routes: self), position: .first)
        }
    }
}
