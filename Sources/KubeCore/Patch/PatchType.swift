import Foundation

/// The patch formats kube-apiserver accepts on PATCH, named by their Content-Type.
public enum PatchType: String, Sendable, CaseIterable {
    /// RFC 6902 JSON Patch: a list of operations (`kubectl patch --type=json`).
    case json = "application/json-patch+json"
    /// RFC 7386 JSON merge patch (`kubectl patch --type=merge`).
    case merge = "application/merge-patch+json"
    /// Kubernetes strategic merge patch, kubectl's default for built-in types.
    case strategic = "application/strategic-merge-patch+json"
    /// Server-side apply (`kubectl apply --server-side`), a YAML or JSON document.
    case apply = "application/apply-patch+yaml"

    /// The patch type a Content-Type header names, or nil for any other media type.
    /// Parameters such as `; charset=utf-8` are ignored and case does not matter, as with
    /// the media-type matching kube-apiserver does before choosing a patcher.
    public init?(contentType: String) {
        let mediaType = contentType
            .split(separator: ";", maxSplits: 1, omittingEmptySubsequences: false)
            .first
            .map { $0.trimmingCharacters(in: .whitespaces).lowercased() } ?? ""
        self.init(rawValue: mediaType)
    }
}
