import Foundation

/// The kube-controller-manager settings controllers read (flags, or the cluster's defaults).
public struct ControllerOptions: Sendable {
    /// `--cluster-cidr`: where node-ipam carves node podCIDRs from.
    public var clusterCIDR: String?
    /// `--allocate-node-cidrs`.
    public var allocateNodeCIDRs = false
    /// `--node-cidr-mask-size` (24 for IPv4, as upstream).
    public var nodeCIDRMaskSize = 24
    /// `--service-cluster-ip-range`.
    public var serviceClusterIPRange: String?
    /// `--root-ca-file`'s contents: what `kube-root-ca.crt` publishes.
    public var rootCA: String?
    /// `--node-monitor-grace-period`: how long a silent node stays Ready (upstream 40 s in 1.33? 50 s).
    public var nodeMonitorGracePeriod: Duration = .seconds(50)
    /// `--terminated-pod-gc-threshold`: terminated pods kept before pod GC deletes the oldest.
    public var terminatedPodGCThreshold = 12500
    /// The name events are reported under (`kube-controller-manager`, `default-scheduler`).
    public var component = "kube-controller-manager"
    /// This process's host name, for events' `source.host` and leader identities.
    public var host = ProcessInfo.processInfo.hostName

    /// Defaults as kube-controller-manager's.
    public init() {}
}
