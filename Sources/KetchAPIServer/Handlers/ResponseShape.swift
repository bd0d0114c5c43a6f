import Foundation
import KubeCore

/// How the client asked to see objects: as they are, as a Table (kubectl get), or as
/// PartialObjectMetadata — read from the Accept header as kube-apiserver negotiates it.
enum ResponseShape: Sendable, Equatable {
    case object
    case table(includeObject: String)
    case partialMetadata

    /// The shape requested by an Accept header and the `includeObject` query parameter.
    init(accept: String?, includeObject: String?) {
        let accept = accept ?? ""
        // Accept lists alternatives in preference order; take the first JSON one we serve.
        for alternative in accept.split(separator: ",") {
            let params = alternative.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
            guard let media = params.first, media == "application/json" || media == "*/*" || media == "application/*" else { continue }
            let asValue = params.dropFirst().first { $0.hasPrefix("as=") }.map { String($0.dropFirst(3)) }
            switch asValue {
            case "Table"?:
                self = .table(includeObject: includeObject ?? "Metadata")
                return
            case "PartialObjectMetadata"?, "PartialObjectMetadataList"?:
                self = .partialMetadata
                return
            case nil:
                self = .object
                return
            default:
                continue
            }
        }
        self = .object
    }

    /// A single object rendered in this shape.
    func render(_ object: JSONValue, _ type: ResourceType) -> JSONValue {
        switch self {
        case .object: return object
        case .table(let include): return TableRenderer.watchEventTable(for: type, object: object, includeObject: Self.include(include), now: Date())
        case .partialMetadata: return Self.partial(object)
        }
    }

    /// A list rendered in this shape; `listMeta` carries resourceVersion and continue.
    func renderList(_ items: [JSONValue], _ type: ResourceType, listMeta: JSONValue) -> JSONValue {
        switch self {
        case .object:
            return .object([
                "kind": .string(type.listKind), "apiVersion": .string(type.apiVersion),
                "metadata": listMeta, "items": .array(items),
            ])
        case .table(let include):
            return TableRenderer.table(for: type, objects: items, includeObject: Self.include(include), now: Date(), listMeta: listMeta)
        case .partialMetadata:
            return .object([
                "kind": .string("PartialObjectMetadataList"), "apiVersion": .string("meta.k8s.io/v1"),
                "metadata": listMeta, "items": .array(items.map(Self.partial)),
            ])
        }
    }

    static func partial(_ object: JSONValue) -> JSONValue {
        .object(["kind": .string("PartialObjectMetadata"), "apiVersion": .string("meta.k8s.io/v1"),
                 "metadata": object["metadata"] ?? .object([:])])
    }

    static func include(_ text: String) -> IncludeObject {
        switch text {
        case "None": return .none
        case "Object": return .object
        default: return .metadata
        }
    }
}
