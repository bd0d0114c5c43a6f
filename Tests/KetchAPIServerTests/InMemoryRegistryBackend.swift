import Foundation
import Synchronization
@testable import KetchAPIServer

/// A RegistryBackend in memory with etcd's revision rules: one revision per write, deletes
/// remembered for watches, compaction on demand, and outages on demand.
final class InMemoryRegistryBackend: RegistryBackend {
    private struct State {
        var revision: Int64 = 1
        var values: [String: StoredValue] = [:]
        var history: [(revision: Int64, event: RegistryEvent)] = []
        var compacted: Int64 = 0
        var waiters: [CheckedContinuation<Void, Never>] = []
    }
    private let state = Mutex(State())
    private let failure = Mutex<(any Error & Sendable)?>(nil)

    /// Makes every read and write throw `error` (an etcd outage) until set back to nil.
    func setFailure(_ error: (any Error & Sendable)?) { failure.withLock { $0 = error } }

    private func checkAvailable() throws {
        if let error = failure.withLock({ $0 }) { throw error }
    }

    func get(_ key: String) async throws -> StoredValue? {
        try checkAvailable()
        return state.withLock { $0.values[key] }
    }

    func count(start: String, end: String, revision: Int64) async throws -> Int {
        try await range(start: start, end: end, limit: 0, revision: revision).values.count
    }

    func range(start: String, end: String, limit: Int, revision: Int64) async throws -> RangePage {
        try checkAvailable()
        return try state.withLock { s in
            if revision > 0, revision < s.compacted { throw RegistryBackendError.compacted(compactRevision: s.compacted) }
            // Reconstruct the state at `revision` from history when asked for an old one.
            var values = s.values
            if revision > 0 {
                for (rev, event) in s.history.reversed() where rev > revision {
                    values[event.value.key] = event.previous
                }
            }
            let keys = values.keys.filter { $0 >= start && $0 < end }.sorted()
            let chosen = limit > 0 ? Array(keys.prefix(limit)) : keys
            return RangePage(values: chosen.map { values[$0]! }, more: chosen.count < keys.count,
                             revision: revision > 0 ? revision : s.revision)
        }
    }

    private func write(_ key: String, value: [UInt8]?, expected: Int64?) -> WriteOutcome {
        let (outcome, waiters) = state.withLock { s -> (WriteOutcome, [CheckedContinuation<Void, Never>]) in
            let current = s.values[key]
            if let expected, (current?.modRevision ?? 0) != expected { return (.conflict(current: current), []) }
            s.revision += 1
            let event: RegistryEvent
            if let value {
                let stored = StoredValue(key: key, value: value, modRevision: s.revision)
                s.values[key] = stored
                event = RegistryEvent(kind: .put, value: stored, previous: current)
            } else {
                s.values[key] = nil
                event = RegistryEvent(kind: .delete, value: StoredValue(key: key, value: [], modRevision: s.revision), previous: current)
            }
            s.history.append((s.revision, event))
            let w = s.waiters
            s.waiters = []
            return (.written(revision: s.revision), w)
        }
        waiters.forEach { $0.resume() }
        return outcome
    }

    func create(_ key: String, value: [UInt8]) async throws -> Int64? {
        try checkAvailable()
        if case .written(let rev) = write(key, value: value, expected: 0) { return rev }
        return nil
    }

    func update(_ key: String, value: [UInt8], expected: Int64) async throws -> WriteOutcome {
        try checkAvailable()
        return write(key, value: value, expected: expected)
    }

    func delete(_ key: String, expected: Int64) async throws -> WriteOutcome {
        try checkAvailable()
        return write(key, value: nil, expected: expected)
    }

    func compact(_ revision: Int64) { state.withLock { $0.compacted = revision } }

    func watch(start: String, end: String, after: Int64) -> AsyncThrowingStream<[RegistryEvent], any Error> {
        AsyncThrowingStream { continuation in
            let task = Task {
                var seen = after
                if after + 1 < state.withLock({ $0.compacted }) {
                    continuation.finish(throwing: RegistryBackendError.compacted(compactRevision: state.withLock { $0.compacted }))
                    return
                }
                while !Task.isCancelled {
                    let batch = state.withLock { s in
                        s.history.filter { $0.revision > seen && $0.event.value.key >= start && $0.event.value.key < end }
                    }
                    if let last = batch.last {
                        seen = last.revision
                        continuation.yield(batch.map(\.event))
                    }
                    await withCheckedContinuation { c in
                        state.withLock { $0.waiters.append(c) }
                    }
                }
            }
            continuation.onTermination = { _ in task.cancel() }
        }
    }

    func currentRevision() async throws -> Int64 {
        try checkAvailable()
        return state.withLock { $0.revision }
    }
}
