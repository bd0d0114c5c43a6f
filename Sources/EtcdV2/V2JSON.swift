import Foundation
import GoText

/// Go's `encoding/json` string escaping (HTML-safe, as `json.Marshal` and etcd's encoder write).
public enum V2JSON {
    /// `s` as a Go JSON string (``GoJSONString``).
    public static func string(_ s: String) -> String { GoJSONString.quoted(s) }

    /// The server's node (`NodeExtern`, empty fields omitted).
    public static func serverNode(_ n: V2Node) -> String {
        var fields: [String] = []
        if !n.key.isEmpty { fields.append("\"key\":" + string(n.key)) }
        if let v = n.value { fields.append("\"value\":" + string(v)) }
        if n.dir { fields.append("\"dir\":true") }
        if let nodes = n.nodes, !nodes.isEmpty { fields.append("\"nodes\":[" + nodes.map(serverNode).joined(separator: ",") + "]") }
        if n.modifiedIndex != 0 { fields.append("\"modifiedIndex\":\(n.modifiedIndex)") }
        if n.createdIndex != 0 { fields.append("\"createdIndex\":\(n.createdIndex)") }
        return "{" + fields.joined(separator: ",") + "}"
    }

    /// The server's answer body.
    public static func serverResponse(_ r: V2Response) -> String {
        var s = "{\"action\":" + string(r.action) + ",\"node\":" + serverNode(r.node)
        if let p = r.prevNode { s += ",\"prevNode\":" + serverNode(p) }
        return s + "}"
    }

    public static func serverError(_ e: V2Error) -> String {
        "{\"errorCode\":\(e.code),\"message\":" + string(e.message) + ",\"cause\":" + string(e.cause) + ",\"index\":\(e.index)}"
    }

    /// The Go v2 client's node (`client.Node`), as `etcdctl -o json` prints it.
    public static func clientNode(_ n: V2Node) -> String {
        var s = "{\"key\":" + string(n.key)
        if n.dir { s += ",\"dir\":true" }
        s += ",\"value\":" + string(n.value ?? "")
        if let nodes = n.nodes, !nodes.isEmpty {
            s += ",\"nodes\":[" + nodes.map(clientNode).joined(separator: ",") + "]"
        } else {
            s += ",\"nodes\":null"
        }
        return s + ",\"createdIndex\":\(n.createdIndex),\"modifiedIndex\":\(n.modifiedIndex)}"
    }

    public static func clientResponse(_ r: V2Response) -> String {
        "{\"action\":" + string(r.action) + ",\"node\":" + clientNode(r.node) + ",\"prevNode\":"
            + (r.prevNode.map(clientNode) ?? "null") + "}"
    }
}
