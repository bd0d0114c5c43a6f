import Foundation

/// The settings of client-go's `leaderelection.LeaderElectionConfig` with a Lease lock, and
/// kube-controller-manager's defaults (`--leader-elect-*` flags).
public struct LeaderElectionConfig: Sendable, Hashable {
    /// The Lease's namespace (`--leader-elect-resource-namespace`).
    public var namespace: String
    /// The Lease's name (`--leader-elect-resource-name`): `kube-controller-manager`, `kube-scheduler`.
    public var name: String
    /// Who this candidate is, written as `holderIdentity`.
    public var identity: String
    /// How long a lease holds without renewal before others may take it (`leaseDurationSeconds`).
    public var leaseDuration: Duration
    /// How long the leader keeps retrying a failed renewal before it gives leadership up.
    public var renewDeadline: Duration
    /// The wait between attempts to acquire or renew.
    public var retryPeriod: Duration
    /// Whether stopping (cancelling ``LeaderElector/run(onStartedLeading:onStoppedLeading:onNewLeader:)``)
    /// hands the lease back at once, so a successor need not wait for it to expire.
    public var releaseOnCancel: Bool

    /// A configuration; the durations default to kube-controller-manager's (15 s, 10 s, 2 s).
    public init(name: String, namespace: String = "kube-system", identity: String = LeaderElectionConfig.defaultIdentity(),
                leaseDuration: Duration = .seconds(15), renewDeadline: Duration = .seconds(10),
                retryPeriod: Duration = .seconds(2), releaseOnCancel: Bool = true) {
        self.namespace = namespace
        self.name = name
        self.identity = identity
        self.leaseDuration = leaseDuration
        self.renewDeadline = renewDeadline
        self.retryPeriod = retryPeriod
        self.releaseOnCancel = releaseOnCancel
    }

    /// `<hostname>_<uuid>`, as kube-controller-manager and kube-scheduler name themselves, so
    /// two processes on one host never share an identity.
    public static func defaultIdentity() -> String {
        ProcessInfo.processInfo.hostName + "_" + UUID().uuidString.lowercased()
    }
}
