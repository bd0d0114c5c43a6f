/// Why a node was rejected for a pod, as a kube-scheduler plugin's `Status`: the reasons
/// that end up in the FailedScheduling message, and whether preemption could help.
public struct FilterRejection: Sendable, Hashable {
    /// Whether evicting lower-priority pods could make room: `Unschedulable` (true) as
    /// NodeResourcesFit and NodePorts answer, or `UnschedulableAndUnresolvable` (false).
    public var resolvable: Bool
    /// The reasons, each counted once per node in the message.
    public var reasons: [String]
    /// The plugin that rejected the node (`NodeAffinity`), as upstream records it.
    public var plugin: String

    /// A rejection preemption cannot cure.
    public static func unresolvable(_ plugin: String, _ reasons: String...) -> FilterRejection {
        FilterRejection(resolvable: false, reasons: reasons, plugin: plugin)
    }

    /// A rejection that removing pods might cure.
    public static func unschedulable(_ plugin: String, _ reasons: [String]) -> FilterRejection {
        FilterRejection(resolvable: true, reasons: reasons, plugin: plugin)
    }
}
