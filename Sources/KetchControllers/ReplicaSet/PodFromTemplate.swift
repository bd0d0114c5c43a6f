import KubeCore

/// The Pod a controller creates from its template, as upstream's `controller.GetPodFromTemplate`:
/// the template's labels, annotations, finalizers and spec, a name generated from the owner's
/// (`web-7c5b7d5f9-` + five characters), and a controller reference to the owner.
public enum PodFromTemplate {
    /// A new Pod for `owner` (of resource `ownerType`) from `template`.
    public static func pod(template: JSONValue, owner: JSONValue, ownerType: ResourceType) -> JSONValue {
        var metadata: [String: JSONValue] = [
            "generateName": .string(namePrefix(ObjectMetadata.name(owner))),
            "ownerReferences": .array([OwnerReferences.controller(for: owner, type: ownerType)]),
        ]
        for field in ["labels", "annotations", "finalizers"] {
            if let value = template[path: ["metadata", field]], !value.isNull { metadata[field] = value }
        }
        return .object([
            "apiVersion": .string("v1"),
            "kind": .string("Pod"),
            "metadata": .object(metadata),
            "spec": template["spec"] ?? .object([:]),
        ])
    }

    /// `<owner>-`, or the bare owner name when the dash would make the prefix too long for a
    /// pod name (253 characters), as upstream's `getPodsPrefix`.
    static func namePrefix(_ ownerName: String) -> String {
        let prefix = ownerName + "-"
        return prefix.count > 253 ? ownerName : prefix
    }
}
