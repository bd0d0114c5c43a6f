/// Components brought up one after another, each once the one before is ready (the apiserver
/// needs etcd to serve anything), and stopped in the reverse order.
public struct StartSequence: Sendable {
    /// The components in start order, with how each is known to be ready.
    public let steps: [(component: SupervisedComponent, readiness: Readiness)]

    /// A sequence of `steps`, in start order.
    public init(_ steps: [(component: SupervisedComponent, readiness: Readiness)]) {
        self.steps = steps
    }

    /// Starts each component and waits up to `readyTimeout` for it to be ready, printing progress.
    ///
    /// - Returns: the running components, or `nil` when `shutdown` was requested first (what had
    ///   started is stopped by then).
    /// - Throws: why a component did not become ready, once what had started is stopped.
    public func bringUp(readyTimeout: Duration, shutdown: ShutdownRequest) async throws -> [SupervisedComponent]? {
        let clock = ContinuousClock()
        var running: [SupervisedComponent] = []
        do {
            for (component, readiness) in steps {
                progress("[wait-control-plane] Waiting for \(component.name) at \(readiness) (up to \(readyTimeout.secondsText)); log: \(component.logPath)")
                component.start()
                running.append(component)
                let began = clock.now
                try await readiness.wait(for: component, timeout: readyTimeout, shutdown: shutdown)
                progress("[up] \(component.name) is ready after \((clock.now - began).secondsText)")
            }
        } catch let interrupted as Interrupted {
            progress("[up] Received \(SignalName.describe(interrupted.signal)) before the control plane was ready; stopping it")
            await Self.stop(running)
            return nil
        } catch {
            await Self.stop(running)
            throw error
        }
        return running
    }

    /// Stops `components` in reverse start order: the apiserver before the etcd it uses.
    public static func stop(_ components: [SupervisedComponent]) async {
        for component in components.reversed() {
            progress("[up] Stopping \(component.name)")
            if await component.stop() {
                progress("[up] \(component.name) did not stop within 5s; killed it")
            }
        }
    }
}
