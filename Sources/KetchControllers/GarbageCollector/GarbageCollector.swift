import KubeCore
import Logging

/// kube-controller-manager's `garbage-collector-controller`: objects whose owners are all gone
/// are deleted (background propagation), owners deleted in the foreground wait for their
/// blocking dependents to go before their `foregroundDeletion` finalizer is removed, and owners
/// deleted with orphan propagation have their references removed from their dependents before
/// their `orphan` finalizer is removed.
///
/// Informers of every monitored resource feed one owner → dependents graph (``GCGraph``);
/// workers act on what it queues, always after a live GET, so a stale cache never deletes
/// anything.
public struct GarbageCollector: Runnable {
    /// The catalogue entry.
    public static let descriptor = ControllerDescriptor("garbage-collector-controller", aliases: ["garbagecollector"]) { context in
        [GarbageCollector(context: context)]
    }

    let context: ControllerContext
    /// Workers per queue (`--concurrent-gc-syncs`, 20 upstream).
    let workers: Int
    /// The resources whose objects make up the graph.
    let resources: [ResourceType]
    let state = GCState()

    /// A collector over `resources`, with `workers` workers per queue.
    init(context: ControllerContext, workers: Int = 20, resources: [ResourceType] = GCResources.monitored) {
        self.context = context
        self.workers = workers
        self.resources = resources
    }

    /// Builds the graph from the informers, waits for their first lists, then collects garbage
    /// until cancelled.
    public func run() async {
        for type in resources {
            context.informer(type).addHandler { [state] event in state.handle(event, type: type) }
        }
        for type in resources { await context.informer(type).waitForSync() }
        context.logger.info("controller started", metadata: ["controller": "garbagecollector"])
        await withTaskCancellationHandler {
            await withTaskGroup(of: Void.self) { group in
                for _ in 0..<max(1, workers) {
                    group.addTask { await drain(state.deleteQueue, attemptToDelete) }
                    group.addTask { await drain(state.orphanQueue, attemptToOrphan) }
                }
            }
        } onCancel: {
            Task { [state] in
                await state.deleteQueue.shutDown()
                await state.orphanQueue.shutDown()
            }
        }
    }

    /// What a worker does with a uid once processed.
    enum Outcome: Sendable, Equatable {
        /// Done with it.
        case forget
        /// Look again after a back-off (a virtual node not observed yet).
        case requeue
    }

    /// Processes uids from `queue` until it shuts down; errors come back with back-off.
    private func drain(_ queue: WorkQueue<String>, _ process: (String) async throws -> Outcome) async {
        while let uid = await queue.next() {
            do {
                switch try await process(uid) {
                case .forget: await queue.forget(uid)
                case .requeue: await queue.addRateLimited(uid)
                }
            } catch is CancellationError {
                await queue.done(uid)
                return
            } catch {
                context.logger.debug("garbage collection failed; will retry", metadata: [
                    "uid": .string(uid), "error": .string("\(error)")])
                await queue.addRateLimited(uid)
            }
            await queue.done(uid)
        }
    }
}
