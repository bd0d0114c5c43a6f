extension StrictSchema {
    /// `value` without the members this schema does not declare: what decoding into kube's
    /// typed structs keeps, so unknown fields are dropped whatever the field validation directive.
    public func pruned(_ value: JSONValue) -> JSONValue {
        prune(value, node: root)
    }

    private func prune(_ value: JSONValue, node: Int) -> JSONValue {
        switch (value, self.node(node)) {
        case (.object(var members), .object(let declared, let preservesUnknown)):
            for (key, member) in members {
                if let child = declared[key] {
                    members[key] = prune(member, node: child)
                } else if !preservesUnknown {
                    members[key] = nil
                }
            }
            return .object(members)
        case (.object(var members), .map(let values)):
            for (key, member) in members { members[key] = prune(member, node: values) }
            return .object(members)
        case (.array(let items), .list(let item, _)):
            return .array(items.map { prune($0, node: item) })
        default:
            return value
        }
    }

    /// The first value decoding into the typed object would fail on, as Go's decoder reports
    /// it: a quantity that does not parse (`quantities must match the regular expression …`).
    public func decodeProblem(in value: JSONValue) -> String? {
        problem(value, node: root)
    }

    private func problem(_ value: JSONValue, node: Int) -> String? {
        switch (value, self.node(node)) {
        case (_, .quantity):
            return value == .null ? nil : Quantity.decodeProblem(value)?.description
        case (.object(let members), .object(let declared, _)):
            for key in members.keys.sorted() {
                if let child = declared[key], let found = problem(members[key]!, node: child) { return found }
            }
            return nil
        case (.object(let members), .map(let values)):
            for key in members.keys.sorted() {
                if let found = problem(members[key]!, node: values) { return found }
            }
            return nil
        case (.array(let items), .list(let item, _)):
            for element in items {
                if let found = problem(element, node: item) { return found }
            }
            return nil
        default:
            return nil
        }
    }
}
