import Foundation

extension MVCCStore {
    /// Grants a lease; `id` 0 lets the store choose one. Durable before it returns.
    public func grantLease(id: Int64, ttl: Int64) async throws -> LeaseInfo {
        try admitLeaseGrant()
        if ttl > LeaseLimits.maximumTTL { throw StoreError.leaseTTLTooLarge }
        let chosen = id != 0 ? id : newLeaseID()
        guard case .leaseGrant(let info) = try await writer.submit(.leaseGrant(id: chosen, ttl: ttl)) else { preconditionFailure() }
        return info
    }

    /// Revokes a lease and deletes its keys in one revision; returns the revision after it.
    public func revokeLease(id: Int64) async throws -> Int64 {
        try admitLeaseRevoke()
        guard case .leaseRevoke(let revision) = try await writer.submit(.leaseRevoke(id)) else { preconditionFailure() }
        return revision
    }

    /// Restarts a lease's TTL; returns the TTL, or nil when the lease does not exist or expired.
    public func keepAliveLease(id: Int64) -> Int64? {
        state.withLock {
            guard var lease = state.leases[id], lease.expiry > .now else { return nil }
            lease.expiry = .now + .seconds(lease.grantedTTL)
            state.leases[id] = lease
            return lease.grantedTTL
        }
    }

    /// A lease's TTL, granted TTL and attached keys.
    public func leaseInfo(id: Int64) -> LeaseInfo? {
        state.withLock {
            guard let lease = state.leases[id], lease.expiry > .now else { return nil }
            return LeaseInfo(
                id: id, grantedTTL: lease.grantedTTL, ttl: lease.remaining(now: .now),
                keys: lease.keys.sorted { compareBytes($0, $1) < 0 })
        }
    }

    /// IDs of every live lease, soonest expiry first (etcd's order).
    public func leaseIDs() -> [Int64] {
        state.withLock { state.leases.values.sorted { $0.expiry < $1.expiry }.map(\.id) }
    }

    /// Leases whose TTL ran out; the expiry loop revokes them through the writer.
    func expiredLeases() -> [Int64] {
        let now = ContinuousClock.now
        return state.withLock { state.leases.values.filter { $0.expiry <= now }.map(\.id) }
    }

    /// Revokes expired leases until the task is cancelled, checking twice a second
    /// (etcd's lessor checks every 500 ms too).
    public func runLeaseExpiry() async {
        while !Task.isCancelled {
            for id in expiredLeases() {
                // Another revoke may have won the race; that is fine.
                _ = try? await revokeLease(id: id)
            }
            try? await Task.sleep(for: .milliseconds(500))
        }
    }

    /// A positive ID no live lease has (etcd's IDs are positive int64 too).
    private func newLeaseID() -> Int64 {
        state.withLock {
            while true {
                let candidate = Int64.random(in: 1...Int64.max)
                if state.leases[candidate] == nil { return candidate }
            }
        }
    }
}
