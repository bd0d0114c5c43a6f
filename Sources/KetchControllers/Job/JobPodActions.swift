import KubeCore

/// The pod changes one Job sync asks for: `manageJob`'s creations and deletions, or the
/// deletion of every active pod when the Job has met a terminal condition.
public struct JobPodActions: Sendable, Equatable {
    /// Pods to create, in order (slow-start batches).
    public var create: [JSONValue] = []
    /// Pods to delete.
    public var delete: [JSONValue] = []
    /// Whether the tracking finalizer comes off each pod before it is deleted: true for pods the
    /// Job no longer wants (they are not failures), false when the Job is failing and the
    /// deleted pods must still be counted.
    public var releaseBeforeDelete = false

    /// No changes.
    public init() {}

    /// Whether nothing is to be done.
    public var isEmpty: Bool { create.isEmpty && delete.isEmpty }
}

/// What became of a sync's ``JobPodActions``.
public struct JobPodOutcome: Sendable, Equatable {
    /// How many pods were created.
    public var created: Int
    /// The pods deleted (or already gone).
    public var deleted: [JSONValue]

    /// An outcome.
    public init(created: Int, deleted: [JSONValue]) {
        self.created = created
        self.deleted = deleted
    }

    /// Every action of `actions` succeeded.
    public static func allSucceeded(_ actions: JobPodActions) -> JobPodOutcome {
        JobPodOutcome(created: actions.create.count, deleted: actions.delete)
    }
}
