import KubeCore
import Synchronization

/// What the garbage collector's informer handlers and workers share: the graph, the absent
/// owners and the two queues (`attemptToDelete`, `attemptToOrphan`), all keyed by uid.
final class GCState: Sendable {
    private let graph = Mutex(GCGraph())
    /// Owner coordinates known to be gone.
    let absent = AbsentOwnerCache()
    /// Objects to look at for deletion.
    let deleteQueue = WorkQueue<String>()
    /// Owners whose dependents must be orphaned.
    let orphanQueue = WorkQueue<String>()

    /// Feeds one informer event of `type` into the graph, in the informer's order.
    func handle(_ event: InformerEvent, type: ResourceType) {
        update { graph in
            switch event {
            case .added(let object): graph.observe(type, object, old: nil)
            case .updated(let old, let new): graph.observe(type, new, old: old)
            case .deleted(let object): graph.observeDeletion(type, object)
            }
        }
    }

    /// Changes the graph and queues the work the change asks for.
    func update(_ change: (inout GCGraph) -> GCWork) {
        let work = graph.withLock { change(&$0) }
        guard !work.isEmpty else { return }
        for identity in work.absent { absent.insert(identity) }
        Task { [deleteQueue, orphanQueue] in
            for uid in work.attemptToDelete { await deleteQueue.add(uid) }
            for uid in work.attemptToOrphan { await orphanQueue.add(uid) }
        }
    }

    /// The node with `uid`.
    func node(_ uid: String) -> GCNode? { graph.withLock { $0.node(uid) } }

    /// The dependents of `uid` in the graph.
    func dependents(of uid: String) -> [GCNode] { graph.withLock { $0.dependents(of: uid) } }

    /// The dependents of `uid` that block its foreground deletion.
    func blockingDependents(of uid: String) -> [GCNode] { graph.withLock { $0.blockingDependents(of: uid) } }
}
