import GRPCCore

/// Counts and times every RPC as grpc-prometheus does for etcd: `grpc_server_started_total`,
/// `grpc_server_handled_total{grpc_code}` and `grpc_server_handling_seconds`.
/// Streaming RPCs are timed until their response stream ends.
public struct GRPCMetricsInterceptor: ServerInterceptor {
    private let metrics: EtcdMetrics

    public init(metrics: EtcdMetrics) {
        self.metrics = metrics
    }

    public func intercept<Input: Sendable, Output: Sendable>(
        request: StreamingServerRequest<Input>,
        context: ServerContext,
        next: @Sendable (StreamingServerRequest<Input>, ServerContext) async throws -> StreamingServerResponse<Output>
    ) async throws -> StreamingServerResponse<Output> {
        let descriptor = context.descriptor
        let rpc = metrics.rpcMetrics(
            for: descriptor, type: Self.streamingType(service: descriptor.service.fullyQualifiedService, method: descriptor.method))
        let start = ContinuousClock.now
        rpc.rpcStarted()
        let finish: @Sendable (RPCError.Code?) -> Void = { code in
            rpc.rpcHandled(code: Self.goName(code), duration: ContinuousClock.now - start)
        }
        var response: StreamingServerResponse<Output>
        do {
            response = try await next(request, context)
        } catch {
            finish(Self.code(of: error))
            throw error
        }
        switch response.accepted {
        case .success(var contents):
            let produce = contents.producer
            contents.producer = { writer in
                do {
                    let trailers = try await produce(writer)
                    finish(nil)
                    return trailers
                } catch {
                    finish(Self.code(of: error))
                    throw error
                }
            }
            response.accepted = .success(contents)
        case .failure(let error):
            finish(error.code)
        }
        return response
    }

    private static func code(of error: any Error) -> RPCError.Code {
        if let error = error as? RPCError { return error.code }
        if let convertible = error as? any RPCErrorConvertible { return convertible.rpcErrorCode }
        if error is CancellationError { return .cancelled }
        return .unknown
    }

    /// grpc-go's names for status codes (`codes.Code.String()`), which the metric labels carry.
    static func goName(_ code: RPCError.Code?) -> String {
        guard let code else { return "OK" }
        switch code {
        case .cancelled: return "Canceled"
        case .unknown: return "Unknown"
        case .invalidArgument: return "InvalidArgument"
        case .deadlineExceeded: return "DeadlineExceeded"
        case .notFound: return "NotFound"
        case .alreadyExists: return "AlreadyExists"
        case .permissionDenied: return "PermissionDenied"
        case .resourceExhausted: return "ResourceExhausted"
        case .failedPrecondition: return "FailedPrecondition"
        case .aborted: return "Aborted"
        case .outOfRange: return "OutOfRange"
        case .unimplemented: return "Unimplemented"
        case .internalError: return "Internal"
        case .unavailable: return "Unavailable"
        case .dataLoss: return "DataLoss"
        case .unauthenticated: return "Unauthenticated"
        default: return "Code(\(code.rawValue))"
        }
    }

    /// etcd's streaming RPCs; everything else is unary.
    private static func streamingType(service: String, method: String) -> String {
        switch (service, method) {
        case ("etcdserverpb.Watch", "Watch"), ("etcdserverpb.Lease", "LeaseKeepAlive"): return "bidi_stream"
        case ("etcdserverpb.Maintenance", "Snapshot"): return "server_stream"
        default: return "unary"
        }
    }
}
