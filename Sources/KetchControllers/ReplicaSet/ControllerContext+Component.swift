import Foundation
import KubeCore

extension ControllerContext {
    /// This context with events reported as `component` (`replicaset-controller`,
    /// `deployment-controller`), the source `kubectl describe` shows in its From column.
    func reporting(as component: String) -> ControllerContext {
        let clock: @Sendable () -> Date = { [self] in self.now() }
        let events = EventRecorder(api: api, component: component, host: options.host, logger: logger, clock: clock)
        return ControllerContext(api: api, informers: informers, events: events, logger: logger, options: options, clock: clock)
    }
}
