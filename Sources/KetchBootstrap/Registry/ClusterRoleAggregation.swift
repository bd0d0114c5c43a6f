import KubeCore
/// Fills the rules of aggregated ClusterRoles (admin, edit, view) as kube-controller-manager's
/// clusterrole-aggregation controller would: the union of the rules of every ClusterRole whose
/// labels match the aggregation selectors, taken in name order, without exact duplicates. Ketch
/// runs no controller-manager, so the seed stores the roles already aggregated.
enum ClusterRoleAggregation {
    static func apply(to objects: [RegistryObject]) throws -> [RegistryObject] {
        var roles: [String: JSONValue] = [:]
        for o in objects where o.object["kind"]?.string == "ClusterRole" {
            roles[o.object["metadata"]?["name"]?.string ?? ""] = o.object
        }
        // Aggregates of aggregates (admin takes edit, which takes view) settle after a few rounds.
        for _ in 0..<roles.count {
            var changed = false
            for (name, role) in roles {
                guard let selectors = role["aggregationRule"]?["clusterRoleSelectors"]?.array else { continue }
                var rules: [JSONValue] = []
                for other in roles.keys.sorted() where other != name && matches(roles[other]!, selectors) {
                    for rule in roles[other]!["rules"]?.array ?? [] where !rules.contains(rule) {
                        rules.append(rule)
                    }
                }
                if role["rules"] != .array(rules) {
                    roles[name]!["rules"] = .array(rules)
                    changed = true
                }
            }
            if !changed { break }
        }
        return try objects.map { o in
            guard o.object["kind"]?.string == "ClusterRole", let name = o.object["metadata"]?["name"]?.string,
                  let updated = roles[name], updated != o.object else { return o }
            return try RegistryObject(object: updated, source: o.key)
        }
    }

    /// Whether `role`'s labels satisfy any selector (each a `matchLabels` map; matchExpressions
    /// are not used by the bootstrap policy).
    private static func matches(_ role: JSONValue, _ selectors: [JSONValue]) -> Bool {
        let labels = role["metadata"]?["labels"]?.object ?? [:]
        return selectors.contains { selector in
            guard let wanted = selector["matchLabels"]?.object, !wanted.isEmpty else { return false }
            return wanted.allSatisfy { labels[$0.key] == $0.value }
        }
    }
}
