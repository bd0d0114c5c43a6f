/// A CustomResourceDefinition's status as the apiextensions controllers would set it on
/// create: names accepted, established, the storage version recorded.
public enum CRDStatus {
    /// `crd` with that status, its transition times now.
    public static func accepted(_ crd: JSONValue) -> JSONValue {
        var object = crd
        let now = KubeTime.rfc3339()
        let names = crd["spec"]?["names"] ?? .object([:])
        var accepted = names
        if accepted["singular"] == nil, let kind = names["kind"]?.string { accepted["singular"] = .string(kind.lowercased()) }
        if accepted["listKind"] == nil, let kind = names["kind"]?.string { accepted["listKind"] = .string(kind + "List") }
        let storedVersions = (crd["spec"]?["versions"]?.array ?? []).filter { $0["storage"] == .bool(true) }.compactMap { $0["name"] }
        object["status"] = .object([
            "acceptedNames": accepted,
            "conditions": .array([
                .object(["type": .string("NamesAccepted"), "status": .string("True"), "reason": .string("NoConflicts"),
                         "message": .string("no conflicts found"), "lastTransitionTime": .string(now)]),
                .object(["type": .string("Established"), "status": .string("True"), "reason": .string("InitialNamesAccepted"),
                         "message": .string("the initial names have been accepted"), "lastTransitionTime": .string(now)]),
            ]),
            "storedVersions": .array(storedVersions),
        ])
        return object
    }
}
