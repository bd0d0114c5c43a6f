import KubeCore

/// The stable identity of a StatefulSet's pods, as upstream's `stateful_set_utils.go` gives
/// it: the name `<set>-<ordinal>`, the pod-name and pod-index labels, hostname and subdomain,
/// and one PersistentVolumeClaim per volumeClaimTemplate named `<template>-<set>-<ordinal>`.
public enum StatefulPodIdentity {
    /// `getParentNameAndOrdinal`: the set name and ordinal a pod name encodes (`web-3` → `web`,
    /// 3), or nil when the name does not end in `-<digits>` or the number overflows an int32.
    public static func parentAndOrdinal(_ podName: String) -> (parent: String, ordinal: Int)? {
        guard let dash = podName.lastIndex(of: "-") else { return nil }
        let digits = podName[podName.index(after: dash)...]
        guard !digits.isEmpty, digits.allSatisfy({ $0.isASCII && $0.isNumber }), let ordinal = Int32(digits) else { return nil }
        return (String(podName[..<dash]), Int(ordinal))
    }

    /// The ordinal of a pod, -1 when its name has none (`getOrdinal`).
    public static func ordinal(of pod: JSONValue) -> Int {
        parentAndOrdinal(ObjectMetadata.name(pod))?.ordinal ?? -1
    }

    /// Whether `pod`'s name makes it a member of `set` (`isMemberOf`).
    public static func isMember(_ pod: JSONValue, of set: StatefulSetSpec) -> Bool {
        parentAndOrdinal(ObjectMetadata.name(pod))?.parent == set.name
    }

    /// `<set>-<ordinal>`.
    public static func podName(_ set: StatefulSetSpec, ordinal: Int) -> String { "\(set.name)-\(ordinal)" }

    /// `<template>-<set>-<ordinal>`.
    public static func claimName(template: JSONValue, set: StatefulSetSpec, ordinal: Int) -> String {
        "\(ObjectMetadata.name(template))-\(set.name)-\(ordinal)"
    }

    /// The claims the pod of `ordinal` uses, by template name (`getPersistentVolumeClaims`):
    /// each template with its name made unique, the set's namespace, and the selector's labels
    /// added to the template's.
    public static func claims(_ set: StatefulSetSpec, ordinal: Int) -> [(template: String, claim: JSONValue)] {
        set.volumeClaimTemplates.map { template in
            var metadata = template["metadata"]?.object ?? [:]
            var labels = metadata["labels"]?.object ?? [:]
            for (key, value) in set.selectorLabels { labels[key] = value }
            metadata["name"] = .string(claimName(template: template, set: set, ordinal: ordinal))
            metadata["namespace"] = .string(set.namespace)
            metadata["labels"] = labels.isEmpty ? nil : .object(labels)
            let claim: JSONValue = .object([
                "apiVersion": .string("v1"),
                "kind": .string("PersistentVolumeClaim"),
                "metadata": .object(metadata),
                "spec": template["spec"] ?? .object([:]),
            ])
            return (ObjectMetadata.name(template), claim)
        }
    }

    /// `identityMatches`: the pod's name, namespace and pod-name label fit the set.
    public static func identityMatches(_ pod: JSONValue, set: StatefulSetSpec) -> Bool {
        guard let (parent, ordinal) = parentAndOrdinal(ObjectMetadata.name(pod)) else { return false }
        let name = ObjectMetadata.name(pod)
        return parent == set.name && name == podName(set, ordinal: ordinal) && ObjectMetadata.namespace(pod) == set.namespace
            && ObjectMetadata.labels(pod)[StatefulSetWellKnown.podNameLabel] == name
    }

    /// `storageMatches`: every template has a volume of its name using the pod's claim.
    public static func storageMatches(_ pod: JSONValue, set: StatefulSetSpec) -> Bool {
        let ordinal = ordinal(of: pod)
        guard ordinal >= 0 else { return false }
        var claimsByVolume: [String: String] = [:]
        for volume in pod[path: ["spec", "volumes"]]?.array ?? [] {
            if let name = volume["name"]?.string {
                claimsByVolume[name] = volume[path: ["persistentVolumeClaim", "claimName"]]?.string ?? ""
            }
        }
        return set.volumeClaimTemplates.allSatisfy { template in
            claimsByVolume[ObjectMetadata.name(template)] == claimName(template: template, set: set, ordinal: ordinal)
        }
    }

    /// `updateIdentity`: the name, namespace, pod-name and pod-index labels the ordinal gives.
    public static func updateIdentity(_ pod: inout JSONValue, set: StatefulSetSpec) {
        let ordinal = ordinal(of: pod)
        let name = podName(set, ordinal: ordinal)
        var metadata = pod["metadata"] ?? .object([:])
        metadata["name"] = .string(name)
        metadata["namespace"] = .string(set.namespace)
        var labels = metadata["labels"]?.object ?? [:]
        labels[StatefulSetWellKnown.podNameLabel] = .string(name)
        labels[StatefulSetWellKnown.podIndexLabel] = .string(String(ordinal))
        metadata["labels"] = .object(labels)
        pod["metadata"] = metadata
    }

    /// `updateStorage`: one volume per template pointing at the pod's claim, replacing any
    /// volume of the same name; the pod's other volumes follow.
    public static func updateStorage(_ pod: inout JSONValue, set: StatefulSetSpec) {
        let claims = claims(set, ordinal: ordinal(of: pod))
        let templateNames = Set(claims.map(\.template))
        var volumes: [JSONValue] = claims.map { template, claim in
            .object([
                "name": .string(template),
                "persistentVolumeClaim": .object(["claimName": .string(ObjectMetadata.name(claim))]),
            ])
        }
        volumes += (pod[path: ["spec", "volumes"]]?.array ?? []).filter { !templateNames.contains($0["name"]?.string ?? "") }
        var spec = pod["spec"] ?? .object([:])
        spec["volumes"] = volumes.isEmpty ? nil : .array(volumes)
        pod["spec"] = spec
    }

    /// `newStatefulSetPod` plus `setPodRevision`: the pod of `ordinal` made from `set`'s template
    /// (as a revision restored it), named, labelled with `revision`, with hostname and subdomain.
    public static func newPod(_ set: JSONValue, ordinal: Int, revision: String) -> JSONValue {
        let spec = StatefulSetSpec(set)
        var pod = PodFromTemplate.pod(template: set[path: ["spec", "template"]] ?? .object([:]), owner: set,
                                      ownerType: BuiltinResources.statefulSets)
        pod["metadata"]?["name"] = .string(podName(spec, ordinal: ordinal))
        updateIdentity(&pod, set: spec)
        pod["spec"]?["hostname"] = .string(podName(spec, ordinal: ordinal))
        if !spec.serviceName.isEmpty { pod["spec"]?["subdomain"] = .string(spec.serviceName) }
        updateStorage(&pod, set: spec)
        pod["metadata"]?["labels"]?[StatefulSetWellKnown.revisionLabel] = .string(revision)
        return pod
    }

    /// The revision a pod was made from (`getPodRevision`); empty when unlabelled.
    public static func revision(of pod: JSONValue) -> String {
        ObjectMetadata.labels(pod)[StatefulSetWellKnown.revisionLabel] ?? ""
    }
}
