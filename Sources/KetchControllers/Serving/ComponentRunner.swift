import Foundation
import KubeClient
import Logging

/// What kube-controller-manager and kube-scheduler share around their work: a client from the
/// kubeconfig, the health port, and leader election through a Lease in kube-system. The work
/// runs only while this process leads; losing the lease ends the run with
/// ``LeadershipLost``, on which upstream exits so that a fresh process campaigns again.
public struct ComponentRunner: Sendable {
    /// The component (`kube-controller-manager`), for the User-Agent and logs.
    public var component: String
    /// Its version, for the User-Agent (`v1.33.4`).
    public var version: String
    /// `--kubeconfig`.
    public var kubeconfig: String
    /// `--leader-elect`.
    public var leaderElect: Bool
    /// The Lease and timings (`--leader-elect-lease-duration`, …).
    public var leaderElection: LeaderElectionConfig
    /// The secure port's server.
    public var health: HealthServer
    let logger: Logger

    /// Leadership ended while the work ran.
    public struct LeadershipLost: Error, CustomStringConvertible {
        /// upstream's fatal message.
        public var description: String { "leaderelection lost" }
    }

    /// A runner for `component` at `version`.
    public init(component: String, version: String, kubeconfig: String, leaderElect: Bool,
                leaderElection: LeaderElectionConfig, health: HealthServer, logger: Logger) {
        self.component = component
        self.version = version
        self.kubeconfig = kubeconfig
        self.leaderElect = leaderElect
        self.leaderElection = leaderElection
        self.health = health
        self.logger = logger
    }

    /// Serves health and, while leading, runs `work` with a client of the apiserver (and the kubeconfig it came from), until the
    /// calling task is cancelled (returns) or leadership is lost (throws ``LeadershipLost``).
    public func run(_ work: @escaping @Sendable (any KubeAPI, KubeConfig) async -> Void) async throws {
        let config = try KubeConfig.load(path: kubeconfig)
        let api = try HTTPKubeAPI(config: config, userAgent: "\(component)/\(version) (linux/amd64) kubernetes/ketch")
        defer { Task { try? await api.shutdown() } }
        logger.info("using kubeconfig", metadata: ["server": .string(config.server.absoluteString), "file": .string(kubeconfig)])
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await health.run() }
            group.addTask {
                guard leaderElect else {
                    await work(api, config)
                    return
                }
                let elector = LeaderElector(api: api, config: leaderElection, logger: logger)
                let lost = LostFlag()
                await elector.run(
                    onStartedLeading: {
                        logger.info("successfully acquired lease", metadata: [
                            "lease": .string("\(leaderElection.namespace)/\(leaderElection.name)")])
                        await work(api, config)
                    },
                    onStoppedLeading: { lost.set(!Task.isCancelled) },
                    onNewLeader: { holder in
                        if holder != leaderElection.identity {
                            logger.info("new leader elected", metadata: ["identity": .string(holder)])
                        }
                    })
                if lost.value { throw LeadershipLost() }
            }
            try await group.next()
            group.cancelAll()
        }
    }
}

/// Whether leadership was lost rather than given up (set once, read after).
private final class LostFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var lost = false
    func set(_ value: Bool) { lock.lock(); lost = value; lock.unlock() }
    var value: Bool { lock.lock(); defer { lock.unlock() }; return lost }
}
