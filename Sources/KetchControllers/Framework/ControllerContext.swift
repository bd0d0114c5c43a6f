import Foundation
import KubeClient
import KubeCore
import Logging

/// What a reconciler may use: the API, the shared caches, an event recorder, settings and a clock.
public struct ControllerContext: Sendable {
    /// The apiserver, for writes (and reads the caches cannot answer).
    public let api: any KubeAPI
    /// The shared informers.
    public let informers: InformerFactory
    /// Where events go.
    public let events: EventRecorder
    /// The controller's logger.
    public let logger: Logger
    /// The controller-manager's settings.
    public let options: ControllerOptions
    private let clock: @Sendable () -> Date

    /// A context; `clock` is replaceable so tests can move time.
    public init(api: any KubeAPI, informers: InformerFactory, events: EventRecorder, logger: Logger,
                options: ControllerOptions = .init(), clock: @escaping @Sendable () -> Date = { Date() }) {
        self.api = api
        self.informers = informers
        self.events = events
        self.logger = logger
        self.options = options
        self.clock = clock
    }

    /// The current time.
    public func now() -> Date { clock() }

    /// The shared informer of `type`.
    public func informer(_ type: ResourceType) -> Informer { informers.informer(type) }
}
