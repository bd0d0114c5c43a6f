import KubeCore

/// How a StatefulSet finds its current and update ControllerRevisions and trims its history,
/// as upstream's `getStatefulSetRevisions` and `truncateHistory`.
public enum StatefulSetRevisions {
    /// What to do to have a revision for the set's template as it is now.
    public enum UpdateStep: Sendable, Equatable {
        /// The newest revision already holds the template.
        case existing(JSONValue)
        /// An older revision holds it (a rollback): give it the next number.
        case renumber(JSONValue, to: Int)
        /// No revision holds it: create this one.
        case create(JSONValue)
    }

    /// Upstream's `newRevision`: a revision of `set`'s template numbered `number`, named by the
    /// hash of its data and `collisionCount`, carrying the template's labels and the set's
    /// annotations.
    public static func candidate(_ set: JSONValue, number: Int, collisionCount: Int) -> JSONValue {
        var revision = ControllerHistory.newRevision(
            parent: set, parentType: BuiltinResources.statefulSets,
            templateLabels: set[path: ["spec", "template", "metadata", "labels"]]?.object ?? [:],
            data: ControllerHistory.templatePatch(of: set), revision: number, collisionCount: collisionCount)
        if let annotations = set[path: ["metadata", "annotations"]]?.object, !annotations.isEmpty {
            revision["metadata"]?["annotations"] = .object(annotations)
        }
        return revision
    }

    /// The step giving `set` its update revision, from its `revisions` (any order).
    public static func updateStep(_ set: JSONValue, revisions: [JSONValue], collisionCount: Int) -> UpdateStep {
        let sorted = ControllerHistory.sorted(revisions)
        let candidate = candidate(set, number: ControllerHistory.nextNumber(sorted), collisionCount: collisionCount)
        let equal = sorted.filter { ControllerHistory.equal($0, candidate) }
        guard let newestEqual = equal.last else { return .create(candidate) }
        if let newest = sorted.last, ControllerHistory.equal(newest, newestEqual) { return .existing(newest) }
        return .renumber(newestEqual, to: ControllerHistory.number(candidate))
    }

    /// The revision `status.currentRevision` names, if it is among `revisions`.
    public static func current(_ set: JSONValue, revisions: [JSONValue]) -> JSONValue? {
        guard let name = set[path: ["status", "currentRevision"]]?.string else { return nil }
        return revisions.first { ObjectMetadata.name($0) == name }
    }

    /// `truncateHistory`: the revisions to delete so that at most `revisionHistoryLimit` remain
    /// besides the live ones (current, update, and any a pod was made from), oldest first.
    public static func toTruncate(_ set: JSONValue, pods: [JSONValue], revisions: [JSONValue], current: JSONValue?,
                                  update: JSONValue?) -> [JSONValue] {
        var live = Set(pods.map(StatefulPodIdentity.revision(of:)))
        for revision in [current, update].compactMap({ $0 }) { live.insert(ObjectMetadata.name(revision)) }
        let history = ControllerHistory.sorted(revisions).filter { !live.contains(ObjectMetadata.name($0)) }
        let limit = StatefulSetSpec(set).revisionHistoryLimit
        guard limit >= 0, history.count > limit else { return [] }
        return Array(history.prefix(history.count - limit))
    }
}
