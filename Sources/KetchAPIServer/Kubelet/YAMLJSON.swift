import KubeCore
import Yams

/// Converts YAML (static pod manifests, kubeconfigs) into `JSONValue`, resolving scalars the way
/// YAML 1.1 core schema does (so `hostNetwork: true` is a boolean and `priority: 2000001000`
/// an integer), the same values kube's YAML-to-JSON step yields.
enum YAMLJSON {
    /// Parses one YAML document; nil for an empty one.
    static func parse(_ text: String) throws -> JSONValue? {
        guard let node = try Yams.compose(yaml: text) else { return nil }
        return convert(node)
    }

    static func convert(_ node: Node) -> JSONValue {
        switch node {
        case .scalar(let scalar):
            switch Tag.Name(rawValue: node.tag.rawValue) {
            case .null: return .null
            case .bool: return node.bool.map(JSONValue.bool) ?? .string(scalar.string)
            case .int: return node.int.map(JSONValue.integer) ?? .string(scalar.string)
            case .float: return node.float.map(JSONValue.number) ?? .string(scalar.string)
            default: return .string(scalar.string)
            }
        case .mapping(let mapping):
            var object: [String: JSONValue] = [:]
            for (key, value) in mapping { object[key.string ?? ""] = convert(value) }
            return .object(object)
        case .sequence(let sequence):
            return .array(sequence.map(convert))
        case .alias:
            return .null
        }
    }
}
