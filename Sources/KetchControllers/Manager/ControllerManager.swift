import Foundation
import KubeClient
import KubeCore
import Logging

/// kube-controller-manager's body once it leads: shared informers, one event recorder, and the
/// selected controllers' loops, all running until the task is cancelled.
public struct ControllerManager: Sendable {
    /// The apiserver.
    public let api: any KubeAPI
    /// Settings from the flags.
    public let options: ControllerOptions
    /// The controllers to run, from `--controllers`.
    public let controllers: [ControllerDescriptor]
    /// Per-controller identities (`--use-service-account-credentials`); nil: every controller
    /// uses `api`.
    public let credentials: ServiceAccountCredentials?
    let logger: Logger

    /// A manager running `controllers` against `api`.
    public init(api: any KubeAPI, options: ControllerOptions, controllers: [ControllerDescriptor],
                credentials: ServiceAccountCredentials? = nil, logger: Logger) {
        self.api = api
        self.options = options
        self.controllers = controllers
        self.credentials = credentials
        self.logger = logger
    }

    /// Runs the controllers until cancelled.
    public func run() async {
        let informers = InformerFactory(api: api, logger: logger, resync: .seconds(600))
        let events = EventRecorder(api: api, component: options.component, host: options.host, logger: logger)
        await withTaskGroup(of: Void.self) { group in
            for descriptor in controllers {
                logger.info("Starting controller", metadata: ["controller": .string(descriptor.name)])
                // Reads come from the shared informers (the manager's own identity may list and
                // watch everything); writes go out as the controller's account.
                let writer = ControllerCatalogue.serviceAccounts[descriptor.name].flatMap { credentials?.client(for: $0) } ?? api
                var log = logger
                log[metadataKey: "controller"] = .string(descriptor.name)
                let context = ControllerContext(api: writer, informers: informers, events: events, logger: log, options: options)
                for runnable in descriptor.make(context) {
                    group.addTask { await runnable.run() }
                }
            }
            informers.start()
            await group.waitForAll()
        }
        informers.stop()
    }
}
