import Foundation
import Hummingbird
import KubeCore
import NIOCore

/// Building HTTP responses the way kube-apiserver writes them: compact JSON with a
/// content type kubectl recognises, and `metav1.Status` bodies for failures.
enum KubeResponses {
    /// A JSON object response.
    static func json(_ value: JSONValue, status: HTTPResponse.Status = .ok) -> Response {
        let data = (try? value.encoded()) ?? Data("{}".utf8)
        return bytes(Array(data), contentType: "application/json", status: status)
    }

    /// Raw bytes with a content type.
    static func bytes(_ bytes: [UInt8], contentType: String, status: HTTPResponse.Status = .ok) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = contentType
        headers[.cacheControl] = "no-cache, private"
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: bytes)))
    }

    /// Plain text, as /healthz and logs answer.
    static func text(_ text: String, status: HTTPResponse.Status = .ok) -> Response {
        bytes(Array(text.utf8), contentType: "text/plain; charset=utf-8", status: status)
    }

    /// A failure as a Status object with its HTTP code.
    static func failure(_ status: KubeStatus) -> Response {
        json(status.json, status: HTTPResponse.Status(code: status.code))
    }

    /// The `Status` of a successful delete of an object kube answers that way.
    static func success(_ resource: ResourceType, name: String, uid: String?) -> JSONValue {
        var details: [String: JSONValue] = ["name": .string(name), "kind": .string(resource.plural)]
        if !resource.group.isEmpty { details["group"] = .string(resource.group) }
        if let uid { details["uid"] = .string(uid) }
        return .object([
            "kind": .string("Status"), "apiVersion": .string("v1"), "metadata": .object([:]),
            "status": .string("Success"), "details": .object(details),
        ])
    }
}

/// Turns thrown errors into kube-apiserver responses, so handlers just throw `KubeStatus`.
struct KubeErrorMiddleware: RouterMiddleware {
    typealias Context = KubeRequestContext

    func handle(_ request: Request, context: KubeRequestContext, next: (Request, KubeRequestContext) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let status as KubeStatus {
            return KubeResponses.failure(status)
        } catch let error as RegistryBackendError {
            switch error {
            case .compacted(let rev):
                return KubeResponses.failure(.expired("too old resource version: compacted at \(rev)"))
            case .unavailable(let why):
                return KubeResponses.failure(.internalError("etcd unavailable: \(why)"))
            }
        } catch let error as HTTPError {
            if error.status == .notFound { return KubeResponses.failure(.pathNotFound(request.uri.path)) }
            if error.status == .contentTooLarge {
                return KubeResponses.failure(KubeStatus(code: 413, reason: "RequestEntityTooLarge", message: "Request entity too large: limit is 3145728"))
            }
            return KubeResponses.failure(KubeStatus(code: Int(error.status.code), reason: "", message: error.body ?? error.status.reasonPhrase))
        } catch is NIOTooManyBytesError {
            // `collectBody(upTo:)` on a body over the limit (chunked, or a Content-Length it trusted).
            return KubeResponses.failure(KubeStatus(code: 413, reason: "RequestEntityTooLarge", message: "Request entity too large: limit is 3145728"))
        } catch {
            context.logger.error("request failed", metadata: ["path": "\(request.uri.path)", "error": "\(error)"])
            return KubeResponses.failure(.internalError(String(describing: error)))
        }
    }
}
