import Foundation
import KubeCore
import Synchronization

/// Pending pods waiting for a scheduling attempt, as kube-scheduler's scheduling queue:
///
/// - *active*: ready now, highest `spec.priority` first, then first come;
/// - *backoff*: failed recently and waiting out their back-off (1 s, doubling per attempt, at
///   most 10 s);
/// - *unschedulable*: nothing fit at the last attempt, so they wait for a cluster event that
///   could change that (a node added or changed, a pod leaving a node, the pod itself edited),
///   or for five minutes, whichever comes first.
///
/// An unschedulable pod is therefore retried when something changed, never in a tight loop.
final class SchedulingQueue: Sendable {
    /// The back-off after the first failed attempt.
    static let initialBackoff: TimeInterval = 1
    /// The longest back-off.
    static let maxBackoff: TimeInterval = 10
    /// How long an unschedulable pod waits without any event before it is tried again
    /// (`podMaxInUnschedulablePodsDuration`).
    static let maxUnschedulableWait: TimeInterval = 300

    /// How an attempt ended.
    enum Outcome {
        /// The pod was assumed on a node and is being bound.
        case scheduled
        /// No node fit.
        case unschedulable
    }

    private struct Parked {
        var priority: Int
        /// When the pod may be tried again (backoff) or when it failed (unschedulable).
        var time: Date
    }

    private struct State {
        var active: [(key: ObjectKey, priority: Int)] = []
        var backoff: [ObjectKey: Parked] = [:]
        var unschedulable: [ObjectKey: Parked] = [:]
        var attempts: [ObjectKey: Int] = [:]
        /// Pods being attempted, and whether a cluster event arrived meanwhile.
        var inFlight: [ObjectKey: (priority: Int, moved: Bool)] = [:]

        func knows(_ key: ObjectKey) -> Bool {
            inFlight[key] != nil || backoff[key] != nil || unschedulable[key] != nil || active.contains { $0.key == key }
        }
    }

    private let state = Mutex(State())
    private let wakeup = Wakeup()

    /// Queues a newly seen pending pod, unless it is already queued somewhere.
    func add(_ key: ObjectKey, priority: Int) {
        let added = state.withLock { s -> Bool in
            guard !s.knows(key) else { return false }
            Self.activate(key, priority: priority, in: &s)
            return true
        }
        if added { ring() }
    }

    /// The pod itself changed in a way that may make it schedulable: it leaves the
    /// unschedulable set (for active, or backoff if that has not run out).
    func podUpdated(_ key: ObjectKey, priority: Int, now: Date) {
        state.withLock { s in
            if s.inFlight[key] != nil { s.inFlight[key]?.moved = true }
            guard let parked = s.unschedulable.removeValue(forKey: key) else { return }
            Self.requeue(key, parked, now: now, in: &s)
        }
        ring()
    }

    /// A cluster event (node added or changed, resources freed): every unschedulable pod gets
    /// another try once its back-off has run out.
    func moveAllUnschedulable(now: Date) {
        state.withLock { s in
            for key in s.inFlight.keys { s.inFlight[key]?.moved = true }
            let parked = s.unschedulable
            s.unschedulable = [:]
            for (key, entry) in parked { Self.requeue(key, entry, now: now, in: &s) }
        }
        ring()
    }

    /// Forgets a pod: deleted, or bound by someone else.
    func remove(_ key: ObjectKey) {
        state.withLock { s in
            s.active.removeAll { $0.key == key }
            s.backoff[key] = nil
            s.unschedulable[key] = nil
            s.attempts[key] = nil
        }
    }

    /// Records the end of an attempt on `key` (returned by `pop`).
    func done(_ key: ObjectKey, _ outcome: Outcome, now: Date) {
        state.withLock { s in
            guard let flight = s.inFlight.removeValue(forKey: key) else { return }
            switch outcome {
            case .scheduled:
                s.attempts[key] = nil
            case .unschedulable where !flight.moved:
                s.attempts[key, default: 0] += 1
                s.unschedulable[key] = Parked(priority: flight.priority, time: now)
            case .unschedulable:
                // Something changed while it was being tried: it gets another try, after its back-off.
                s.attempts[key, default: 0] += 1
                s.backoff[key] = Parked(priority: flight.priority, time: now.addingTimeInterval(Self.backoff(s.attempts[key]!)))
            }
        }
        ring()
    }

    /// An attempt that had already ended (assumed and handed to binding) failed after all:
    /// the pod comes back after its back-off.
    func backOff(_ key: ObjectKey, priority: Int, now: Date) {
        state.withLock { s in
            s.attempts[key, default: 0] += 1
            s.backoff[key] = Parked(priority: priority, time: now.addingTimeInterval(Self.backoff(s.attempts[key]!)))
        }
        ring()
    }

    /// The next pod to attempt, waiting as long as none is due; nil once the task is cancelled.
    func pop(now: @Sendable () -> Date) async -> ObjectKey? {
        while !Task.isCancelled {
            let current = now()
            let (key, nextDue) = state.withLock { s -> (ObjectKey?, Date?) in
                for (key, parked) in s.backoff where parked.time <= current {
                    s.backoff[key] = nil
                    Self.activate(key, priority: parked.priority, in: &s)
                }
                for (key, parked) in s.unschedulable where parked.time.addingTimeInterval(Self.maxUnschedulableWait) <= current {
                    s.unschedulable[key] = nil
                    Self.requeue(key, parked, now: current, in: &s)
                }
                if !s.active.isEmpty {
                    let entry = s.active.removeFirst()
                    s.inFlight[entry.key] = (entry.priority, false)
                    return (entry.key, nil)
                }
                let due = s.backoff.values.map(\.time) + s.unschedulable.values.map { $0.time.addingTimeInterval(Self.maxUnschedulableWait) }
                return (nil, due.min())
            }
            if let key { return key }
            let timeout = nextDue.map { Duration.milliseconds(max(1, Int64($0.timeIntervalSince(current) * 1000))) }
            await wakeup.wait(timeout: timeout)
        }
        return nil
    }

    /// How many pods wait in each part (active, backoff, unschedulable), for tests and logs.
    var counts: (active: Int, backoff: Int, unschedulable: Int) {
        state.withLock { ($0.active.count, $0.backoff.count, $0.unschedulable.count) }
    }

    /// The back-off after `attempts` failed attempts.
    static func backoff(_ attempts: Int) -> TimeInterval {
        min(maxBackoff, initialBackoff * pow(2, Double(max(0, attempts - 1))))
    }

    private func ring() {
        Task { await wakeup.signal() }
    }

    /// Into active, keeping it ordered by priority (highest first), then arrival.
    private static func activate(_ key: ObjectKey, priority: Int, in s: inout State) {
        guard !s.active.contains(where: { $0.key == key }) else { return }
        let index = s.active.firstIndex { $0.priority < priority } ?? s.active.endIndex
        s.active.insert((key, priority), at: index)
    }

    /// Out of unschedulable: active when its back-off has run out since it failed, else backoff.
    private static func requeue(_ key: ObjectKey, _ parked: Parked, now: Date, in s: inout State) {
        let ready = parked.time.addingTimeInterval(backoff(s.attempts[key] ?? 0))
        if ready <= now {
            activate(key, priority: parked.priority, in: &s)
        } else {
            s.backoff[key] = Parked(priority: parked.priority, time: ready)
        }
    }
}
