import KubeClient
import KubeCore
import Logging
import Synchronization

/// One shared ``Informer`` per resource, as client-go's SharedInformerFactory: every controller
/// that watches pods reads the same cache, fed by one watch.
public final class InformerFactory: Sendable {
    private let api: any KubeAPI
    private let logger: Logger
    private let resync: Duration?
    private let state = Mutex(State())

    private struct State {
        var informers: [ResourceType: Informer] = [:]
        var tasks: [ResourceType: Task<Void, Never>] = [:]
        var started = false
    }

    /// A factory whose informers use `api`, re-delivering their objects every `resync`.
    public init(api: any KubeAPI, logger: Logger, resync: Duration? = nil) {
        self.api = api
        self.logger = logger
        self.resync = resync
    }

    /// The shared informer of `type`; it starts at once if the factory has been started.
    public func informer(_ type: ResourceType) -> Informer {
        let (informer, startNow) = state.withLock { s -> (Informer, Bool) in
            if let existing = s.informers[type] { return (existing, false) }
            let made = Informer(type: type, api: api, logger: logger, resync: resync)
            s.informers[type] = made
            return (made, s.started)
        }
        if startNow { launch(informer) }
        return informer
    }

    /// Starts every informer asked for so far, and those asked for later.
    public func start() {
        let pending = state.withLock { s -> [Informer] in
            s.started = true
            return s.informers.values.filter { s.tasks[$0.type] == nil }
        }
        for informer in pending { launch(informer) }
    }

    /// Returns once every informer asked for so far has loaded its first list.
    public func waitForSync() async {
        for informer in state.withLock({ $0.informers.values.map { $0 } }) { await informer.waitForSync() }
    }

    /// Stops every informer.
    public func stop() {
        for task in state.withLock({ $0.tasks.values.map { $0 } }) { task.cancel() }
    }

    private func launch(_ informer: Informer) {
        state.withLock { s in
            guard s.tasks[informer.type] == nil else { return }
            s.tasks[informer.type] = Task { await informer.run() }
        }
    }
}
