import Foundation
import KubeCore

/// The REST paths of kube-apiserver: `/api/v1/...` for the core group, `/apis/<group>/<version>/...`
/// for the others, with `namespaces/<ns>/` before namespaced resources.
public enum KubePath {
    /// The collection: `/api/v1/namespaces/default/pods`, or `/api/v1/pods` across namespaces.
    public static func collection(_ type: ResourceType, namespace: String?) -> String {
        var path = type.group.isEmpty ? "/api/\(type.version)" : "/apis/\(type.group)/\(type.version)"
        if type.namespaced, let namespace, !namespace.isEmpty {
            path += "/namespaces/" + segment(namespace)
        }
        return path + "/" + type.plural
    }

    /// One object, or one of its subresources: `/api/v1/namespaces/default/pods/web/status`.
    public static func object(_ type: ResourceType, namespace: String?, name: String, subresource: String? = nil) -> String {
        var path = collection(type, namespace: namespace) + "/" + segment(name)
        if let subresource, !subresource.isEmpty { path += "/" + segment(subresource) }
        return path
    }

    /// `?a=b&c=d` with names and values percent-encoded (selectors carry `=`, `!`, `,`, spaces
    /// and parentheses); "" for no items.
    public static func query(_ items: [(String, String)]) -> String {
        guard !items.isEmpty else { return "" }
        return "?" + items.map { escape($0.0) + "=" + escape($0.1) }.joined(separator: "&")
    }

    /// RFC 3986's unreserved characters stay; everything else is percent-encoded.
    private static let unreserved = CharacterSet(charactersIn:
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")

    private static func escape(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: unreserved) ?? text
    }

    private static func segment(_ text: String) -> String { escape(text) }
}
