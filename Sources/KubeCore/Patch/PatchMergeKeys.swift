/// How a strategic merge patch combines a list field of a built-in type: the
/// `patchStrategy` and `patchMergeKey` struct tags of the Go API types, as data.
enum ListMergeStrategy: Sendable, Equatable {
    /// The patch's list replaces the old one (no `patchStrategy:"merge"` tag; most lists).
    case replace
    /// A set of scalars: the patch's items are added, duplicates dropped (`finalizers`).
    case mergePrimitives
    /// Objects matched by the member `key`; matches are merged, others added (`containers`).
    case mergeByKey(String)

    /// The merge key, nil for lists of scalars or replaced lists.
    var mergeKey: String? {
        if case .mergeByKey(let key) = self { return key }
        return nil
    }

    /// Whether the list merges rather than being replaced.
    var merges: Bool { self != .replace }
}

/// The table of list fields that merge under a strategic merge patch.
///
/// kube-apiserver reads the tags from the Go struct of the object's kind. Ketch has no Go
/// structs, so it recognizes the fields by name and by the object path around them. That is
/// enough because strategic merge patch is only accepted for built-in kinds (custom resources
/// get 415), and in the built-in kinds these names are unambiguous once the parent is known:
/// `ports` under a container merges by `containerPort`, `spec.ports` (only Services have
/// one) by `port`, and every other `ports` is replaced.
enum PatchMergeKeys {
    /// The lists that hold containers in a PodSpec; their items hold `env`, `ports`, mounts.
    static let containerLists: Set<String> = ["containers", "initContainers", "ephemeralContainers"]

    /// The strategy for list field `field` of the object reached by `parentPath`: the field
    /// names from the document root down to that object, where a list item counts as its
    /// list's name (so a container's path ends in `containers`).
    static func strategy(forField field: String, parentPath: [String]) -> ListMergeStrategy {
        let parent = parentPath.last
        switch field {
        // PodSpec (Pods, and every pod template's `spec`).
        case "containers", "initContainers", "ephemeralContainers", "volumes",
             "imagePullSecrets", "schedulingGates", "resourceClaims":
            return parent == "spec" ? .mergeByKey("name") : .replace
        case "hostAliases":
            return parent == "spec" ? .mergeByKey("ip") : .replace
        case "topologySpreadConstraints":
            return parent == "spec" ? .mergeByKey("topologyKey") : .replace
        // Container.
        case "env":
            return isContainer(parent) ? .mergeByKey("name") : .replace
        case "volumeMounts":
            return isContainer(parent) ? .mergeByKey("mountPath") : .replace
        case "volumeDevices":
            return isContainer(parent) ? .mergeByKey("devicePath") : .replace
        case "ports":
            if isContainer(parent) { return .mergeByKey("containerPort") }
            return parentPath == ["spec"] ? .mergeByKey("port") : .replace // ServiceSpec
        // ObjectMeta, wherever it appears.
        case "ownerReferences":
            return parent == "metadata" ? .mergeByKey("uid") : .replace
        case "finalizers":
            // NamespaceSpec.finalizers is a plain list; only metadata's merges.
            return parent == "metadata" ? .mergePrimitives : .replace
        // Status conditions of the built-in kinds are all keyed by type.
        case "conditions":
            return parent == "status" ? .mergeByKey("type") : .replace
        // NodeStatus and PodStatus.
        case "addresses":
            return parentPath == ["status"] ? .mergeByKey("type") : .replace
        case "podIPs", "hostIPs":
            return parentPath == ["status"] ? .mergeByKey("ip") : .replace
        // NodeSpec.
        case "podCIDRs":
            return parentPath == ["spec"] ? .mergePrimitives : .replace
        // ServiceAccount.secrets and the admission webhook configurations' webhooks.
        case "secrets", "webhooks":
            return parentPath.isEmpty ? .mergeByKey("name") : .replace
        default:
            // tolerations, envFrom, args, command, rules, subsets, taints, ...: atomic.
            return .replace
        }
    }

    /// Whether an object whose path ends in `parent` is a container.
    private static func isContainer(_ parent: String?) -> Bool {
        parent.map(containerLists.contains) ?? false
    }
}
