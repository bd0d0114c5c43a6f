/// One rule of a Role or ClusterRole (`rbac/v1.PolicyRule`), and kube's test of whether it
/// allows a request (`RuleAllows` in plugin/pkg/auth/authorizer/rbac with the rbac/v1 helpers).
public struct PolicyRule: Sendable, Hashable {
    /// Verbs; `*` matches every verb.
    public var verbs: [String]
    /// API groups; `*` matches every group, `""` is the core group.
    public var apiGroups: [String]
    /// Resources: `pods`, `pods/exec`, `*/status` or `*`.
    public var resources: [String]
    /// When non-empty, the request must name one of these objects.
    public var resourceNames: [String]
    /// Non-resource URLs: exact paths, `*`, or prefixes ending in `*`.
    public var nonResourceURLs: [String]

    /// Creates a rule.
    public init(verbs: [String], apiGroups: [String] = [], resources: [String] = [],
                resourceNames: [String] = [], nonResourceURLs: [String] = []) {
        self.verbs = verbs
        self.apiGroups = apiGroups
        self.resources = resources
        self.resourceNames = resourceNames
        self.nonResourceURLs = nonResourceURLs
    }

    /// Reads a rule from its JSON form; absent or null lists are empty, as in Go.
    public init(json: JSONValue) {
        func strings(_ key: String) -> [String] { json[key]?.array?.compactMap(\.string) ?? [] }
        self.init(verbs: strings("verbs"), apiGroups: strings("apiGroups"), resources: strings("resources"),
                  resourceNames: strings("resourceNames"), nonResourceURLs: strings("nonResourceURLs"))
    }

    /// Whether this rule allows the request. Resource requests are matched on verb, group,
    /// `resource[/subresource]` and name; non-resource requests on verb and path only, so a
    /// rule of one sort never grants the other.
    public func allows(_ request: RequestAttributes) -> Bool {
        guard matchesVerb(request.verb) else { return false }
        if request.isResourceRequest {
            let subresource = request.subresource ?? ""
            let combined = subresource.isEmpty ? request.resource : "\(request.resource)/\(subresource)"
            return matchesAPIGroup(request.apiGroup)
                && matchesResource(combined, subresource: subresource)
                && matchesResourceName(request.name ?? "")
        }
        return matchesNonResourceURL(request.path)
    }

    /// `VerbMatches`.
    func matchesVerb(_ verb: String) -> Bool {
        verbs.contains { $0 == "*" || $0 == verb }
    }

    /// `APIGroupMatches`.
    func matchesAPIGroup(_ group: String) -> Bool {
        apiGroups.contains { $0 == "*" || $0 == group }
    }

    /// `ResourceMatches`: `*`, the exact `resource[/subresource]`, or `*/<subresource>`.
    /// A plain `pods` does not cover `pods/exec`, which is why exec and logs need rules of
    /// their own. kube has no `resource/*` form, so neither does this.
    func matchesResource(_ combined: String, subresource: String) -> Bool {
        resources.contains { rule in
            if rule == "*" || rule == combined { return true }
            guard !subresource.isEmpty else { return false }
            return rule.utf8.count == subresource.utf8.count + 2 && rule.hasPrefix("*/") && rule.hasSuffix(subresource)
        }
    }

    /// `ResourceNameMatches`: unconstrained when empty; otherwise the request's name (empty for
    /// list, watch, create and deletecollection) must be listed.
    func matchesResourceName(_ name: String) -> Bool {
        resourceNames.isEmpty || resourceNames.contains(name)
    }

    /// `NonResourceURLMatches`: `*`, an exact path, or a prefix rule ending in `*` (all trailing
    /// stars trimmed, as Go's `strings.TrimRight` does).
    func matchesNonResourceURL(_ path: String) -> Bool {
        nonResourceURLs.contains { rule in
            if rule == "*" || rule == path { return true }
            guard rule.hasSuffix("*") else { return false }
            var prefix = Substring(rule)
            while prefix.hasSuffix("*") { prefix = prefix.dropLast() }
            return path.hasPrefix(prefix)
        }
    }
}
