import Foundation
import KubeCore
import Logging

/// Runs one ``Reconciler``: feeds its work queue from the informers of its primary and
/// secondary resources, waits for their caches, then lets `workers` tasks reconcile keys.
/// Errors requeue the key with back-off; a controller that cannot make progress never spins.
public struct ControllerLoop: Sendable {
    /// The controller's name (`deployment`, `job`, …), for logs.
    public let name: String
    /// The logic.
    public let reconciler: any Reconciler
    /// What it may use.
    public let context: ControllerContext

    /// A loop running `reconciler` as `name`.
    public init(name: String, reconciler: any Reconciler, context: ControllerContext) {
        self.name = name
        self.reconciler = reconciler
        self.context = context
    }

    /// Runs until the task is cancelled.
    public func run() async {
        let queue = WorkQueue<ObjectKey>()
        let primary = context.informer(reconciler.primary)
        primary.addHandler { event in
            let key = ObjectKey(event.object)
            Task { await queue.add(key) }
        }
        var informers = [primary]
        for watch in reconciler.secondary {
            let informer = context.informer(watch.type)
            let map = watch.map
            informer.addHandler { event in
                var keys = Set(map(event.object))
                if case .updated(let old, _) = event { keys.formUnion(map(old)) }
                guard !keys.isEmpty else { return }
                Task { for key in keys { await queue.add(key) } }
            }
            informers.append(informer)
        }
        for informer in informers { await informer.waitForSync() }
        context.logger.info("controller started", metadata: ["controller": .string(name)])

        await withTaskCancellationHandler {
            await withTaskGroup(of: Void.self) { group in
                for _ in 0..<max(1, reconciler.workers) {
                    group.addTask { await work(queue) }
                }
            }
        } onCancel: {
            Task { await queue.shutDown() }
        }
    }

    private func work(_ queue: WorkQueue<ObjectKey>) async {
        while let key = await queue.next() {
            do {
                switch try await reconciler.reconcile(key, context: context) {
                case .done:
                    await queue.forget(key)
                case .requeue(let after):
                    await queue.forget(key)
                    await queue.add(key, after: after)
                }
            } catch is CancellationError {
                await queue.done(key)
                return
            } catch {
                context.logger.debug("reconcile failed; will retry", metadata: [
                    "controller": .string(name), "key": .string(key.description), "error": .string("\(error)")])
                await queue.addRateLimited(key)
            }
            await queue.done(key)
        }
    }
}
