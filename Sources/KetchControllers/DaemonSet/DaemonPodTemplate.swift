import KubeCore

/// The pods a DaemonSet makes, as upstream's `daemon/util` shapes them: the template with the
/// daemon tolerations added, labelled with the template generation and revision hash, and
/// pinned to one node by required node affinity on `metadata.name`, which lets the default
/// scheduler bind it there.
public enum DaemonPodTemplate {
    /// `AddOrUpdateDaemonPodTolerations`: daemon pods stay on nodes that are not ready,
    /// unreachable, under pressure or cordoned (and, with host networking, without a network).
    public static func defaultTolerations(hostNetwork: Bool) -> [JSONValue] {
        var tolerations = [
            toleration("node.kubernetes.io/not-ready", effect: "NoExecute"),
            toleration("node.kubernetes.io/unreachable", effect: "NoExecute"),
            toleration("node.kubernetes.io/disk-pressure", effect: "NoSchedule"),
            toleration("node.kubernetes.io/memory-pressure", effect: "NoSchedule"),
            toleration("node.kubernetes.io/pid-pressure", effect: "NoSchedule"),
            toleration("node.kubernetes.io/unschedulable", effect: "NoSchedule"),
        ]
        if hostNetwork { tolerations.append(toleration("node.kubernetes.io/network-unavailable", effect: "NoSchedule")) }
        return tolerations
    }

    /// A pod spec with the daemon tolerations added or updated (`AddOrUpdateTolerationInPodSpec`:
    /// one that matches key, operator, value and effect is replaced in place).
    public static func addingTolerations(to spec: JSONValue) -> JSONValue {
        var tolerations = spec["tolerations"]?.array ?? []
        for wanted in defaultTolerations(hostNetwork: spec["hostNetwork"]?.bool ?? false) {
            if let index = tolerations.firstIndex(where: { sameMatch($0, wanted) }) {
                tolerations[index] = wanted
            } else {
                tolerations.append(wanted)
            }
        }
        var spec = spec
        spec["tolerations"] = .array(tolerations)
        return spec
    }

    /// `CreatePodTemplate`: the template with the tolerations, `pod-template-generation` and
    /// `controller-revision-hash`.
    public static func template(_ template: JSONValue, generation: Int?, hash: String) -> JSONValue {
        var template = template
        template["spec"] = addingTolerations(to: template["spec"] ?? .object([:]))
        var metadata = template["metadata"] ?? .object([:])
        var labels = metadata["labels"]?.object ?? [:]
        if let generation { labels[DaemonSetWellKnown.templateGenerationLabel] = .string(String(generation)) }
        if !hash.isEmpty { labels[DaemonSetWellKnown.revisionHashLabel] = .string(hash) }
        metadata["labels"] = .object(labels)
        template["metadata"] = metadata
        return template
    }

    /// `ReplaceDaemonSetPodNodeNameNodeAffinity`: the pod spec whose required node affinity is
    /// exactly `metadata.name In [node]`; preferred terms and other affinities are kept.
    public static func pinning(_ spec: JSONValue, to node: String) -> JSONValue {
        let term: JSONValue = .object(["matchFields": .array([.object([
            "key": .string(DaemonSetWellKnown.objectNameField),
            "operator": .string("In"),
            "values": .array([.string(node)]),
        ])])])
        var spec = spec
        var affinity = spec["affinity"].flatMap { $0.isNull ? nil : $0 } ?? .object([:])
        var nodeAffinity = affinity["nodeAffinity"].flatMap { $0.isNull ? nil : $0 } ?? .object([:])
        var required = nodeAffinity["requiredDuringSchedulingIgnoredDuringExecution"].flatMap { $0.isNull ? nil : $0 } ?? .object([:])
        required["nodeSelectorTerms"] = .array([term])
        nodeAffinity["requiredDuringSchedulingIgnoredDuringExecution"] = required
        affinity["nodeAffinity"] = nodeAffinity
        spec["affinity"] = affinity
        return spec
    }

    /// `GetTargetNodeName`: `spec.nodeName`, or for a pod not bound yet, the one node its
    /// required affinity names by `metadata.name In`; nil when neither says.
    public static func targetNode(of pod: JSONValue) -> String? {
        if let node = pod[path: ["spec", "nodeName"]]?.string, !node.isEmpty { return node }
        let terms = pod[path: ["spec", "affinity", "nodeAffinity", "requiredDuringSchedulingIgnoredDuringExecution",
                               "nodeSelectorTerms"]]?.array ?? []
        for term in terms {
            for requirement in term["matchFields"]?.array ?? []
            where requirement["key"]?.string == DaemonSetWellKnown.objectNameField && requirement["operator"]?.string == "In" {
                let values = requirement["values"]?.array ?? []
                return values.count == 1 ? values[0].string : nil
            }
        }
        return nil
    }

    private static func toleration(_ key: String, effect: String) -> JSONValue {
        .object(["key": .string(key), "operator": .string("Exists"), "effect": .string(effect)])
    }

    /// `Toleration.MatchToleration`: the same key, operator, value and effect.
    private static func sameMatch(_ a: JSONValue, _ b: JSONValue) -> Bool {
        ["key", "operator", "value", "effect"].allSatisfy { (a[$0]?.string ?? "") == (b[$0]?.string ?? "") }
    }
}
