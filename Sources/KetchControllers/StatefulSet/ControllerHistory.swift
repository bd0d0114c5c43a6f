import Foundation
import KubeCore

/// apps/v1 ControllerRevisions, the template history of StatefulSets and DaemonSets, as
/// upstream's `pkg/controller/history` keeps it: each revision holds a patch that restores the
/// pod template, a number that orders the revisions, and a name made from the owner's name and
/// a hash of the patch.
public enum ControllerHistory {
    /// `controller.kubernetes.io/hash`: the hash of a StatefulSet revision's data.
    public static let hashLabel = "controller.kubernetes.io/hash"

    /// `history.ControllerRevisionName`: `<prefix>-<hash>`, the prefix cut to 223 characters so
    /// the name stays a valid DNS subdomain.
    public static func revisionName(prefix: String, hash: String) -> String {
        "\(String(prefix.prefix(223)))-\(hash)"
    }

    /// `history.HashControllerRevision`: 32-bit FNV-1 (not 1a) over the revision's data, then
    /// the collision count in decimal, re-spelt as `rand.SafeEncodeString` does. Like
    /// ``PodTemplateHash``, it hashes canonical JSON, so the strings differ from upstream's.
    public static func hash(data: JSONValue, collisionCount: Int?) -> String {
        var bytes = Array(PodTemplateHash.canonicalText(data).utf8)
        if let collisionCount { bytes += Array(String(collisionCount).utf8) }
        var hash: UInt32 = 2_166_136_261
        for byte in bytes {
            hash = hash &* 16_777_619
            hash ^= UInt32(byte)
        }
        return PodTemplateHash.safeEncode(String(hash))
    }

    /// Upstream's `getPatch`: a strategic merge patch that puts `owner`'s pod template back,
    /// `{"spec":{"template":{…,"$patch":"replace"}}}`.
    public static func templatePatch(of owner: JSONValue) -> JSONValue {
        var template = owner[path: ["spec", "template"]] ?? .object([:])
        template["$patch"] = .string("replace")
        return .object(["spec": .object(["template": template])])
    }

    /// Upstream's `ApplyRevision`: `owner` with the template a revision's patch restores.
    public static func apply(_ revision: JSONValue, to owner: JSONValue) -> JSONValue {
        guard var template = revision[path: ["data", "spec", "template"]] else { return owner }
        template["$patch"] = nil
        var restored = owner
        var spec = restored["spec"] ?? .object([:])
        spec["template"] = template
        restored["spec"] = spec
        return restored
    }

    /// `history.NewControllerRevision` for `parent` (of resource `parentType`): the template's
    /// labels plus the hash label, a controller reference, `data` and the revision number; the
    /// name carries the hash of the data and of `collisionCount`.
    public static func newRevision(parent: JSONValue, parentType: ResourceType, templateLabels: [String: JSONValue],
                                   data: JSONValue, revision: Int, collisionCount: Int) -> JSONValue {
        let digest = hash(data: data, collisionCount: collisionCount)
        var labels = templateLabels
        labels[hashLabel] = .string(digest)
        var metadata: [String: JSONValue] = [
            "name": .string(revisionName(prefix: name(parent), hash: digest)),
            "labels": .object(labels),
            "ownerReferences": .array([OwnerReferences.controller(for: parent, type: parentType)]),
        ]
        if let namespace = parent[path: ["metadata", "namespace"]] { metadata["namespace"] = namespace }
        return .object([
            "apiVersion": .string("apps/v1"),
            "kind": .string("ControllerRevision"),
            "metadata": .object(metadata),
            "data": data,
            "revision": .integer(revision),
        ])
    }

    /// `revision`: the number ordering a revision among its siblings.
    public static func number(_ revision: JSONValue) -> Int { revision["revision"]?.int ?? 0 }

    /// `history.SortControllerRevisions`: by number, then creation time, then name.
    public static func sorted(_ revisions: [JSONValue]) -> [JSONValue] {
        revisions.sorted { a, b in
            let (na, nb) = (number(a), number(b))
            if na != nb { return na < nb }
            let ta = a[path: ["metadata", "creationTimestamp"]]?.string ?? ""
            let tb = b[path: ["metadata", "creationTimestamp"]]?.string ?? ""
            if ta != tb { return ta < tb }
            return name(a) < name(b)
        }
    }

    /// `history.EqualRevision` as far as JSON can tell: the same data.
    public static func equal(_ lhs: JSONValue, _ rhs: JSONValue) -> Bool {
        (lhs["data"] ?? .null).isEquivalent(to: rhs["data"] ?? .null)
    }

    /// `history.ListControllerRevisions`: the revisions among `candidates` in `parent`'s
    /// namespace that its selector matches and that it controls or that have no controller.
    public static func owned(_ candidates: [JSONValue], by parent: JSONValue, selector: LabelSelector) -> [JSONValue] {
        let uid = parent[path: ["metadata", "uid"]]?.string ?? ""
        return candidates.filter { revision in
            guard selector.matches(Informer.labels(of: revision)) else { return false }
            guard let ref = OwnerReferences.controllerRef(of: revision) else { return true }
            return ref.uid == uid
        }
    }

    /// Upstream's `nextRevision`: one more than the highest number, 1 for an empty history.
    public static func nextNumber(_ revisions: [JSONValue]) -> Int {
        (revisions.map(number).max() ?? 0) + 1
    }

    private static func name(_ object: JSONValue) -> String { object[path: ["metadata", "name"]]?.string ?? "" }
}
