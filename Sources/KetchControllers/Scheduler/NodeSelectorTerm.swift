import KubeCore

/// One `nodeSelectorTerms[]` entry of a node affinity (or one `preference` of a preferred
/// term): label requirements and `metadata.name` field requirements, all of which must hold.
/// Matching follows component-helpers' `nodeaffinity` package, including its leniency: a
/// requirement that does not parse makes its term match nothing rather than failing the pod.
public struct NodeSelectorTerm: Sendable, Hashable {
    /// One `key operator values` requirement.
    public struct Requirement: Sendable, Hashable {
        /// The label key (or, for a field requirement, `metadata.name`).
        public var key: String
        /// `In`, `NotIn`, `Exists`, `DoesNotExist`, `Gt` or `Lt`.
        public var `operator`: String
        /// The values compared.
        public var values: [String]

        /// A requirement.
        public init(key: String, operator: String, values: [String] = []) {
            self.key = key
            self.operator = `operator`
            self.values = values
        }

        init(json: JSONValue) {
            self.init(key: json["key"]?.string ?? "", operator: json["operator"]?.string ?? "",
                      values: (json["values"]?.array ?? []).compactMap(\.string))
        }

        /// Whether the value `actual` (nil: the key is absent) satisfies this requirement;
        /// nil when the requirement itself is malformed.
        func matches(_ actual: String?) -> Bool? {
            switch `operator` {
            case "In": return actual.map(values.contains) ?? false
            case "NotIn": return actual.map { !values.contains($0) } ?? true
            case "Exists": return actual != nil
            case "DoesNotExist": return actual == nil
            case "Gt", "Lt":
                guard values.count == 1, let bound = Int64(values[0]) else { return nil }
                guard let actual, let number = Int64(actual) else { return false }
                return `operator` == "Gt" ? number > bound : number < bound
            default: return nil
            }
        }
    }

    /// `matchExpressions`: requirements on the node's labels.
    public var matchExpressions: [Requirement]
    /// `matchFields`: requirements on the node's fields (only `metadata.name` exists).
    public var matchFields: [Requirement]

    /// A term.
    public init(matchExpressions: [Requirement] = [], matchFields: [Requirement] = []) {
        self.matchExpressions = matchExpressions
        self.matchFields = matchFields
    }

    /// A term from its JSON.
    public init(json: JSONValue) {
        self.init(matchExpressions: (json["matchExpressions"]?.array ?? []).map(Requirement.init(json:)),
                  matchFields: (json["matchFields"]?.array ?? []).map(Requirement.init(json:)))
    }

    /// Whether the node with these labels and name satisfies every requirement. An empty term
    /// matches nothing, as upstream skips it.
    public func matches(labels: [String: String], nodeName: String) -> Bool {
        guard !matchExpressions.isEmpty || !matchFields.isEmpty else { return false }
        for requirement in matchExpressions {
            guard requirement.matches(labels[requirement.key]) == true else { return false }
        }
        for requirement in matchFields {
            guard requirement.key == "metadata.name",
                  ["In", "NotIn"].contains(requirement.operator),
                  requirement.matches(nodeName) == true else { return false }
        }
        return true
    }

    /// The node names this term pins the pod to through `metadata.name In (...)` field
    /// requirements (intersected), nil when it has none: NodeAffinity's PreFilter narrows the
    /// candidate nodes with it, which is how DaemonSet pods reach only their node.
    var pinnedNodeNames: Set<String>? {
        var names: Set<String>?
        for requirement in matchFields where requirement.key == "metadata.name" && requirement.operator == "In" {
            let these = Set(requirement.values)
            names = names.map { $0.intersection(these) } ?? these
        }
        return names
    }
}
