import Foundation
import KubeCore

/// client-go's `LeaderElectionRecord`, as it maps onto a Lease's spec
/// (`LeaderElectionRecordToLeaseSpec` / `LeaseSpecToLeaderElectionRecord`).
public struct LeaderElectionRecord: Sendable, Hashable {
    /// The holder; "" when the lease has been released.
    public var holderIdentity: String
    /// `leaseDurationSeconds`.
    public var leaseDurationSeconds: Int
    /// When the current holder acquired the lease.
    public var acquireTime: Date?
    /// When the holder last renewed it.
    public var renewTime: Date?
    /// How many times the lease changed hands (`leaseTransitions`).
    public var leaseTransitions: Int

    /// A record with the given parts.
    public init(holderIdentity: String, leaseDurationSeconds: Int, acquireTime: Date?, renewTime: Date?, leaseTransitions: Int) {
        self.holderIdentity = holderIdentity
        self.leaseDurationSeconds = leaseDurationSeconds
        self.acquireTime = acquireTime
        self.renewTime = renewTime
        self.leaseTransitions = leaseTransitions
    }

    /// The record in a Lease object's spec.
    public init(lease: JSONValue) {
        let spec = lease["spec"]
        holderIdentity = spec?["holderIdentity"]?.string ?? ""
        leaseDurationSeconds = spec?["leaseDurationSeconds"]?.int ?? 0
        acquireTime = spec?["acquireTime"]?.string.flatMap(KubeTime.parse)
        renewTime = spec?["renewTime"]?.string.flatMap(KubeTime.parse)
        leaseTransitions = spec?["leaseTransitions"]?.int ?? 0
    }

    /// The Lease spec: times as `metav1.MicroTime`, every field present, as client-go writes it.
    public var leaseSpec: JSONValue {
        var spec: [String: JSONValue] = [
            "holderIdentity": .string(holderIdentity),
            "leaseDurationSeconds": .integer(leaseDurationSeconds),
            "leaseTransitions": .integer(leaseTransitions),
        ]
        if let acquireTime { spec["acquireTime"] = .string(KubeTime.micro(acquireTime)) }
        if let renewTime { spec["renewTime"] = .string(KubeTime.micro(renewTime)) }
        return .object(spec)
    }
}
