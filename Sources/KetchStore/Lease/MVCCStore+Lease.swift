import Foundation

extension MVCCStore {
    /// Grants a lease; `id` 0 lets the store choose one. Durable before it returns.
    public func grantLease(id: Int64, ttl: Int64) async throws -> LeaseInfo {
        try await withCheckedThrowingContinuation { c in grantLease(id: id, ttl: ttl) { c.resume(with: $0) } }
    }

    /// Revokes a lease and deletes its keys in one revision; returns the revision after it.
    public func revokeLease(id: Int64) async throws -> Int64 {
        try await withCheckedThrowingContinuation { c in revokeLease(id: id) { c.resume(with: $0) } }
    }

    /// `grantLease(id:ttl:)` answering through `completion` (see `put(_:completion:)`).
    public func grantLease(id: Int64, ttl: Int64, completion: @escaping @Sendable (Result<LeaseInfo, any Error>) -> Void) {
        let chosen: Int64
        do {
            try admitLeaseGrant()
            if ttl > LeaseLimits.maximumTTL { throw StoreError.leaseTTLTooLarge }
            chosen = id != 0 ? id : newLeaseID()
        } catch {
            return completion(.failure(error))
        }
        writer.submit(.leaseGrant(id: chosen, ttl: ttl)) { result in
            completion(result.map { guard case .leaseGrant(let info) = $0 else { preconditionFailure() }; return info })
        }
    }

    /// `revokeLease(id:)` answering through `completion`.
    public func revokeLease(id: Int64, completion: @escaping @Sendable (Result<Int64, any Error>) -> Void) {
        do {
            try admitLeaseRevoke()
        } catch {
            return completion(.failure(error))
        }
        writer.submit(.leaseRevoke(id)) { result in
            completion(result.map { guard case .leaseRevoke(let revision) = $0 else { preconditionFailure() }; return revision })
        }
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
