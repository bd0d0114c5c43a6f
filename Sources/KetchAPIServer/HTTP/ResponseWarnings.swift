import HTTPTypes
import Hummingbird
import KubeCore
import Synchronization

/// The warnings a request's handling raises, sent back as `Warning` headers the way
/// kube-apiserver's `warning.AddWarning(ctx, …)` does: code 299, agent `-`, the text quoted,
/// each text once, in the order raised. kubectl prints each as `Warning: <text>`.
final class ResponseWarnings: Sendable {
    /// The recorder of the request being handled, if any.
    @TaskLocal static var current: ResponseWarnings?

    private let texts = Mutex<[String]>([])

    /// kube-apiserver keeps a warning to 4 KiB and all of them to 256 KiB; it truncates past that.
    static let maxTextBytes = 4 * 1024

    /// Records `text` for the current request; without one (internal callers) it is dropped.
    static func add(_ text: String) {
        current?.record(text)
    }

    private func record(_ text: String) {
        let bounded = text.utf8.count > Self.maxTextBytes ? String(decoding: text.utf8.prefix(Self.maxTextBytes), as: UTF8.self) : text
        texts.withLock { texts in
            if !texts.contains(bounded) { texts.append(bounded) }
        }
    }

    /// Runs `body` with a fresh recorder and adds what it recorded to the response's headers.
    static func collecting(_ body: () async throws -> Response) async throws -> Response {
        let recorder = ResponseWarnings()
        var response = try await $current.withValue(recorder) { try await body() }
        for text in recorder.texts.withLock({ $0 }) {
            response.headers.append(HTTPField(name: .warning, value: "299 - \(goQuoted(text))"))
        }
        return response
    }
}

extension HTTPField.Name {
    /// RFC 7234's `Warning`.
    static let warning = HTTPField.Name("Warning")!
}
