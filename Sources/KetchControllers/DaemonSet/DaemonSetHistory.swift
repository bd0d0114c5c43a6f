import KubeCore

/// A DaemonSet's ControllerRevisions, as upstream's `constructHistory`, `snapshot` and
/// `cleanupHistory` keep them: one revision per template, named `<ds>-<hash>` and labelled
/// `controller-revision-hash=<hash>`; the one matching the current template is the newest,
/// and old ones no pod uses are trimmed to `revisionHistoryLimit`.
public enum DaemonSetHistory {
    /// The revision recording `daemonSet`'s template as number `number` (`snapshot`).
    public static func snapshot(_ daemonSet: JSONValue, number: Int) -> JSONValue {
        let collisionCount = daemonSet[path: ["status", "collisionCount"]]?.int
        let hash = PodTemplateHash.compute(daemonSet[path: ["spec", "template"]] ?? .object([:]), collisionCount: collisionCount)
        var labels = daemonSet[path: ["spec", "template", "metadata", "labels"]]?.object ?? [:]
        labels[DaemonSetWellKnown.revisionHashLabel] = .string(hash)
        var metadata: [String: JSONValue] = [
            "name": .string("\(ObjectMetadata.name(daemonSet))-\(hash)"),
            "namespace": .string(ObjectMetadata.namespace(daemonSet)),
            "labels": .object(labels),
            "ownerReferences": .array([OwnerReferences.controller(for: daemonSet, type: BuiltinResources.daemonSets)]),
        ]
        if let annotations = daemonSet[path: ["metadata", "annotations"]]?.object, !annotations.isEmpty {
            metadata["annotations"] = .object(annotations)
        }
        return .object([
            "apiVersion": .string("apps/v1"),
            "kind": .string("ControllerRevision"),
            "metadata": .object(metadata),
            "data": ControllerHistory.templatePatch(of: daemonSet),
            "revision": .integer(number),
        ])
    }

    /// `Match`: the revision records the DaemonSet's current template.
    public static func matches(_ daemonSet: JSONValue, _ revision: JSONValue) -> Bool {
        ControllerHistory.templatePatch(of: daemonSet).isEquivalent(to: revision["data"] ?? .null)
    }

    /// The hash a revision stands for: its `controller-revision-hash` label.
    public static func hash(of revision: JSONValue) -> String {
        ObjectMetadata.labels(revision)[DaemonSetWellKnown.revisionHashLabel] ?? ""
    }

    /// `dedupCurHistories`' choice among revisions matching the template: the highest number
    /// (the last of equals).
    public static func keeper(_ current: [JSONValue]) -> JSONValue? {
        current.reduce(nil) { kept, revision in
            guard let kept else { return revision }
            return ControllerHistory.number(revision) >= ControllerHistory.number(kept) ? revision : kept
        }
    }

    /// `cleanupHistory`: the old revisions to delete, oldest first, so that at most
    /// `revisionHistoryLimit` remain; revisions some pod still carries are kept.
    public static func toCleanUp(_ daemonSet: JSONValue, old: [JSONValue], pods: [JSONValue]) -> [JSONValue] {
        var excess = old.count - DaemonSetSpec(daemonSet).revisionHistoryLimit
        guard excess > 0 else { return [] }
        let liveHashes = Set(pods.compactMap { ObjectMetadata.labels($0)[DaemonSetWellKnown.revisionHashLabel] }.filter { !$0.isEmpty })
        var doomed: [JSONValue] = []
        for revision in ControllerHistory.sorted(old) where excess > 0 && !liveHashes.contains(hash(of: revision)) {
            doomed.append(revision)
            excess -= 1
        }
        return doomed
    }
}
