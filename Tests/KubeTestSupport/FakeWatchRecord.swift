import KubeClient
import KubeCore

/// One change in the fake apiserver's event log, the stand-in for etcd's history that watches
/// replay from a resourceVersion.
struct FakeWatchRecord: Sendable {
    /// What happened to the object.
    enum Change: Sendable { case added, modified, deleted }

    /// The resourceVersion the change produced.
    var revision: Int
    /// `group/plural` of the object's resource.
    var resource: String
    /// The object's namespace ("" when cluster-scoped).
    var namespace: String
    var change: Change
    /// The object after the change (for a deletion, its last state at the deletion's revision).
    var object: JSONValue
    /// The object before a modification, so a watch with a selector sees objects enter and leave
    /// its selection as ADDED and DELETED, as the watch cache reports them.
    var previous: JSONValue?
}

/// What one watch asked for.
struct FakeWatchFilter: Sendable {
    var resource: String
    /// nil for all namespaces.
    var namespace: String?
    var labels: LabelSelector
    var fields: FieldSelector

    /// The event this watch sees for `record`, or nil when the change is outside it.
    func event(for record: FakeWatchRecord) -> KubeWatchEvent? {
        guard record.resource == resource, namespace == nil || namespace == record.namespace else { return nil }
        let now = FakeObjectRules.matches(record.object, labels: labels, fields: fields)
        switch record.change {
        case .added:
            return now ? .added(record.object) : nil
        case .deleted:
            return now ? .deleted(record.object) : nil
        case .modified:
            let before = record.previous.map { FakeObjectRules.matches($0, labels: labels, fields: fields) } ?? true
            switch (before, now) {
            case (true, true): return .modified(record.object)
            case (false, true): return .added(record.object)
            case (true, false): return .deleted(record.object)
            case (false, false): return nil
            }
        }
    }
}
