import Foundation
import KubeCore
import Logging

/// client-go's `leaderelection.LeaderElector` over a `coordination.k8s.io/v1` Lease: candidates
/// race to write their identity into the Lease; the holder renews it every retry period, and
/// the others take it over once it has gone unrenewed for `leaseDurationSeconds`.
///
/// One deliberate difference: expiry is judged from the Lease's `renewTime` rather than from
/// when this candidate first saw the current record. client-go does the latter to be safe
/// from clock skew between hosts; Ketch's components share one host's clock, and a restarted
/// controller-manager then takes over a dead predecessor's lease without a second wait.
public actor LeaderElector {
    /// The settings.
    public nonisolated let config: LeaderElectionConfig
    private let api: any KubeAPI
    private let logger: Logger
    private let now: @Sendable () -> Date
    /// The record last read or written, and the Lease object it came with (for its resourceVersion).
    private var observedRecord: LeaderElectionRecord?
    private var observedTime: Date?
    private var lease: JSONValue?
    private var reportedLeader: String?
    private var onNewLeader: (@Sendable (String) async -> Void)?

    /// A candidate for `config`'s Lease, writing through `api`; `now` is the clock of the
    /// Lease's times.
    public init(api: any KubeAPI, config: LeaderElectionConfig, logger: Logger = Logger(label: "leaderelection"),
                now: @escaping @Sendable () -> Date = { Date() }) {
        self.api = api
        self.config = config
        self.logger = logger
        self.now = now
    }

    /// Whether this candidate held the lease when last it looked.
    public var isLeader: Bool { observedRecord?.holderIdentity == config.identity }

    /// The identity of the holder last seen, nil when none.
    public var leader: String? {
        guard let holder = observedRecord?.holderIdentity, !holder.isEmpty else { return nil }
        return holder
    }

    /// Campaigns until this candidate leads, runs `onStartedLeading` in a task of its own while
    /// renewing, and returns when leadership is lost (a renewal failing for `renewDeadline`) or
    /// the calling task is cancelled. `onStartedLeading`'s task is then cancelled (not awaited),
    /// the lease is handed back if `releaseOnCancel`, and `onStoppedLeading` runs: always, as
    /// in client-go, even when leadership was never gained. kube-controller-manager exits there.
    /// `onNewLeader` hears each change of holder, this candidate included.
    public func run(onStartedLeading: @escaping @Sendable () async -> Void,
                    onStoppedLeading: @escaping @Sendable () async -> Void = {},
                    onNewLeader: (@Sendable (String) async -> Void)? = nil) async {
        self.onNewLeader = onNewLeader
        guard await acquire() else {
            await onStoppedLeading()
            return
        }
        let leading = Task { await onStartedLeading() }
        await renew()
        leading.cancel()
        // The caller's task may be cancelled by now, which would cancel the release request too.
        if config.releaseOnCancel { await Task { await self.release() }.value }
        await onStoppedLeading()
    }

    // MARK: The loops

    /// Tries every retry period (with client-go's 1.2 jitter) until the lease is ours; false
    /// when cancelled first.
    private func acquire() async -> Bool {
        let lock = "\(config.namespace)/\(config.name)"
        logger.info("attempting to acquire leader lease \(lock)...")
        while !Task.isCancelled {
            if await tryAcquireOrRenew() {
                logger.info("successfully acquired lease \(lock)")
                return true
            }
            try? await Task.sleep(for: config.retryPeriod * (1 + Double.random(in: 0..<1.2)))
        }
        return false
    }

    /// Renews every retry period; a renewal may retry until `renewDeadline` has passed since it
    /// began, after which leadership is lost. Returns then, or on cancellation.
    private func renew() async {
        let lock = "\(config.namespace)/\(config.name)"
        while !Task.isCancelled {
            let deadline = ContinuousClock.now + config.renewDeadline
            var renewed = false
            while !Task.isCancelled, ContinuousClock.now < deadline {
                if await attempt(before: deadline) {
                    renewed = true
                    break
                }
                try? await Task.sleep(for: min(config.retryPeriod, deadline - ContinuousClock.now))
            }
            guard renewed else {
                if !Task.isCancelled { logger.error("failed to renew lease \(lock): timed out waiting for the condition") }
                return
            }
            try? await Task.sleep(for: config.retryPeriod)
        }
    }

    /// One ``tryAcquireOrRenew()`` that counts as failed if it has not finished by `deadline`.
    private func attempt(before deadline: ContinuousClock.Instant) async -> Bool {
        await withTaskGroup(of: Bool.self) { group in
            group.addTask { await self.tryAcquireOrRenew() }
            group.addTask {
                try? await Task.sleep(until: deadline)
                return false
            }
            let first = await group.next() ?? false
            group.cancelAll()
            return first
        }
    }

    /// Hands the lease back (client-go's `release`): no holder, a one-second duration, so the
    /// next candidate takes it at once.
    private func release() async {
        guard isLeader, let observedRecord, let cached = lease else { return }
        let now = now()
        let record = LeaderElectionRecord(holderIdentity: "", leaseDurationSeconds: 1, acquireTime: now, renewTime: now,
                                          leaseTransitions: observedRecord.leaseTransitions)
        // A renewal cancelled in flight may have been written anyway, leaving the cached copy
        // stale; then the release retries once from a fresh read if the lease is still ours.
        var candidate: JSONValue? = cached
        for attempt in 0..<2 {
            guard var lease = candidate else { return }
            lease["spec"] = record.leaseSpec
            do {
                let updated = try await api.update(BuiltinResources.leases, namespace: config.namespace, lease)
                observe(record, lease: updated, at: now)
                return
            } catch {
                if attempt == 1 { logger.error("Failed to release lease: \(Self.describe(error))") }
                candidate = try? await api.get(BuiltinResources.leases, namespace: config.namespace, name: config.name)
                if candidate.map({ LeaderElectionRecord(lease: $0).holderIdentity }) != config.identity { return }
            }
        }
    }

    // MARK: One attempt

    /// client-go's `tryAcquireOrRenew`: create the lease if absent; take it if free, expired or
    /// ours; leave it alone while another holder's lease is valid.
    private func tryAcquireOrRenew() async -> Bool {
        let now = now()
        var record = LeaderElectionRecord(holderIdentity: config.identity, leaseDurationSeconds: leaseSeconds,
                                          acquireTime: now, renewTime: now, leaseTransitions: 0)
        defer { reportTransition() }
        // The leader renews from its cached lease without reading it first.
        if isLeader, isLeaseValid(at: now), let observedRecord, var lease {
            record.acquireTime = observedRecord.acquireTime
            record.leaseTransitions = observedRecord.leaseTransitions
            lease["spec"] = record.leaseSpec
            if let updated = try? await api.update(BuiltinResources.leases, namespace: config.namespace, lease) {
                observe(record, lease: updated, at: now)
                return true
            }
        }
        let current: JSONValue
        do {
            guard let found = try await api.getIfPresent(BuiltinResources.leases, namespace: config.namespace, name: config.name) else {
                return await create(record, at: now)
            }
            current = found
        } catch {
            logger.error("error retrieving resource lock \(config.namespace)/\(config.name): \(Self.describe(error))")
            return false
        }
        let old = LeaderElectionRecord(lease: current)
        if old != observedRecord {
            observedRecord = old
            observedTime = now
        }
        lease = current
        if !old.holderIdentity.isEmpty, isLeaseValid(at: now), !isLeader { return false }
        if isLeader {
            record.acquireTime = old.acquireTime
            record.leaseTransitions = old.leaseTransitions
        } else {
            record.leaseTransitions = old.leaseTransitions + 1
        }
        var updated = current
        updated["spec"] = record.leaseSpec
        do {
            let written = try await api.update(BuiltinResources.leases, namespace: config.namespace, updated)
            observe(record, lease: written, at: now)
            return true
        } catch {
            logger.error("Failed to update lock: \(Self.describe(error))")
            return false
        }
    }

    private func create(_ record: LeaderElectionRecord, at now: Date) async -> Bool {
        let lease: JSONValue = .object([
            "apiVersion": .string(BuiltinResources.leases.apiVersion),
            "kind": .string(BuiltinResources.leases.kind),
            "metadata": .object(["name": .string(config.name), "namespace": .string(config.namespace)]),
            "spec": record.leaseSpec,
        ])
        do {
            let created = try await api.create(BuiltinResources.leases, namespace: config.namespace, lease)
            observe(record, lease: created, at: now)
            return true
        } catch {
            logger.error("error initially creating leader election record: \(Self.describe(error))")
            return false
        }
    }

    /// A server refusal by its message, as klog prints apierrors.
    private static func describe(_ error: any Error) -> String {
        (error as? KubeStatus)?.message ?? String(describing: error)
    }

    private var leaseSeconds: Int { Int(config.leaseDuration.components.seconds) }

    /// Whether the observed holder's lease still runs at `now`.
    private func isLeaseValid(at now: Date) -> Bool {
        guard let observedRecord, let since = observedRecord.renewTime ?? observedTime else { return false }
        return since.addingTimeInterval(TimeInterval(observedRecord.leaseDurationSeconds)) > now
    }

    private func observe(_ record: LeaderElectionRecord, lease: JSONValue, at now: Date) {
        observedRecord = record
        observedTime = now
        self.lease = lease
    }

    /// Tells `onNewLeader` when the holder changed since it last heard.
    private func reportTransition() {
        guard let holder = leader, holder != reportedLeader else { return }
        reportedLeader = holder
        if holder != config.identity { logger.info("new leader elected: \(holder)") }
        if let onNewLeader { Task { await onNewLeader(holder) } }
    }
}
