import EtcdClient
import Foundation
import Logging

/// ``RegistryBackend`` over an etcd v3 endpoint — `ketch etcd` or real etcd alike — with the
/// transactions kube-apiserver's etcd3 store uses (create if absent, compare mod revision).
final class EtcdRegistryBackend: RegistryBackend {
    let client: EtcdClient

    init(client: EtcdClient) {
        self.client = client
    }

    /// Connects with the `--etcd-*` flags, retrying for a while: under `ketch up` etcd may
    /// still be starting.
    static func connect(options: APIServerOptions, logger: Logger) async throws -> EtcdRegistryBackend {
        let configuration = EtcdClientConfiguration(
            endpoints: options.etcdServers, caFile: options.etcdCAFile, certFile: options.etcdCertFile,
            keyFile: options.etcdKeyFile, dialTimeout: .seconds(2), requestTimeout: .seconds(30))
        let started = ContinuousClock.now
        while true {
            do {
                let client = try await EtcdClient.connect(configuration, logger: logger)
                return EtcdRegistryBackend(client: client)
            } catch let error as EtcdClientError {
                if case .invalidConfiguration = error { throw error }
                if ContinuousClock.now - started > .seconds(60) { throw error }
                logger.warning("waiting for etcd", metadata: ["error": "\(error)"])
                try await Task.sleep(for: .milliseconds(200))
            }
        }
    }

    func close() async {
        await client.close()
    }

    func get(_ key: String) async throws -> StoredValue? {
        try await mapErrors { try await client.get(Array(key.utf8)).map(Self.stored) }
    }

    func range(start: String, end: String, limit: Int, revision: Int64) async throws -> RangePage {
        try await mapErrors {
            let result = try await client.range(key: Array(start.utf8), end: Array(end.utf8), limit: Int64(limit), revision: revision)
            return RangePage(values: result.kvs.map(Self.stored), more: result.more, revision: result.header.revision)
        }
    }

    func count(start: String, end: String, revision: Int64) async throws -> Int {
        try await mapErrors {
            Int(try await client.range(key: Array(start.utf8), end: Array(end.utf8), revision: revision, countOnly: true).count)
        }
    }

    func create(_ key: String, value: [UInt8]) async throws -> Int64? {
        try await mapErrors { try await client.create(key: Array(key.utf8), value: value) }
    }

    func update(_ key: String, value: [UInt8], expected: Int64) async throws -> WriteOutcome {
        try await mapErrors {
            switch try await client.update(key: Array(key.utf8), value: value, expectedModRevision: expected) {
            case .succeeded(let revision): return .written(revision: revision)
            case .conflict(let current): return .conflict(current: current.map(Self.stored))
            }
        }
    }

    func delete(_ key: String, expected: Int64) async throws -> WriteOutcome {
        try await mapErrors {
            switch try await client.delete(key: Array(key.utf8), expectedModRevision: expected) {
            case .succeeded(let revision): return .written(revision: revision)
            case .conflict(let current): return .conflict(current: current.map(Self.stored))
            }
        }
    }

    func watch(start: String, end: String, after: Int64) -> AsyncThrowingStream<[RegistryEvent], any Error> {
        let upstream = client.watch(key: Array(start.utf8), end: Array(end.utf8), startRevision: after + 1, prevKV: true)
        return AsyncThrowingStream { continuation in
            let task = Task {
                do {
                    for try await batch in upstream where !batch.events.isEmpty {
                        continuation.yield(batch.events.map { event in
                            RegistryEvent(kind: event.type == .put ? .put : .delete, value: Self.stored(event.kv),
                                          previous: event.prevKV.map(Self.stored))
                        })
                    }
                    continuation.finish()
                } catch let error as EtcdClientError {
                    if case .compacted(let rev) = error {
                        continuation.finish(throwing: RegistryBackendError.compacted(compactRevision: rev))
                    } else {
                        continuation.finish(throwing: RegistryBackendError.unavailable(error.message))
                    }
                } catch {
                    continuation.finish(throwing: error)
                }
            }
            continuation.onTermination = { _ in task.cancel() }
        }
    }

    func currentRevision() async throws -> Int64 {
        try await mapErrors { try await client.range(key: [0], end: [0], limit: 1, countOnly: true).header.revision }
    }

    private static func stored(_ kv: EtcdKeyValue) -> StoredValue {
        StoredValue(key: kv.keyString, value: kv.value, modRevision: kv.modRevision)
    }

    /// etcd's errors as the ones the object store turns into statuses.
    private func mapErrors<T>(_ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch let error as EtcdClientError {
            if error.isCompacted { throw RegistryBackendError.compacted(compactRevision: 0) }
            throw RegistryBackendError.unavailable(error.message)
        }
    }
}
