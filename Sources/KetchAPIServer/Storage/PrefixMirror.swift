import Foundation
import KubeCore
import Logging
import Synchronization

/// An in-memory copy of every object under some key prefixes, kept current by a watch:
/// what authorization (roles and bindings) and routing (CRDs) read on every request.
final class PrefixMirror: Sendable {
    private let backend: any RegistryBackend
    private let prefixes: [String]
    private let logger: Logger
    private let state = Mutex<State>(State())

    private struct State {
        var objects: [String: JSONValue] = [:]
        var generation = 0
        var loaded = false
    }

    /// Mirrors the keys under each prefix (each ends with `/`).
    init(backend: any RegistryBackend, prefixes: [String], logger: Logger) {
        self.backend = backend
        self.prefixes = prefixes
        self.logger = logger
    }

    /// The mirrored objects under one prefix, in key order.
    func objects(under prefix: String) -> [JSONValue] {
        state.withLock { s in
            s.objects.filter { $0.key.hasPrefix(prefix) }.sorted { $0.key < $1.key }.map(\.value)
        }
    }

    /// Bumped on every change, so derived data (a compiled policy) knows when to rebuild.
    var generation: Int { state.withLock { $0.generation } }

    /// Reads everything once. Call before serving so the first request sees the data.
    func load() async throws -> Int64 {
        var fresh: [String: JSONValue] = [:]
        var revision: Int64 = 0
        for prefix in prefixes {
            let page = try await backend.range(start: prefix, end: prefix.prefixRangeEnd, limit: 0, revision: revision)
            revision = page.revision
            for stored in page.values {
                if let object = try? RegistryObjectStore.decode(stored) { fresh[stored.key] = object }
            }
        }
        state.withLock { s in
            s.objects = fresh
            s.generation += 1
            s.loaded = true
        }
        return revision
    }

    /// Applies a change made through this server at once, without waiting for the watch.
    func apply(key: String, object: JSONValue?) {
        state.withLock { s in
            s.objects[key] = object
            s.generation += 1
        }
    }

    /// Loads, then follows changes until cancelled; relists after errors.
    func run() async {
        while !Task.isCancelled {
            do {
                let after = try await load()
                try await withThrowingTaskGroup(of: Void.self) { group in
                    for prefix in prefixes {
                        group.addTask { [self] in
                            for try await batch in self.backend.watch(start: prefix, end: prefix.prefixRangeEnd, after: after) {
                                self.state.withLock { s in
                                    for event in batch {
                                        switch event.kind {
                                        case .put: s.objects[event.value.key] = try? RegistryObjectStore.decode(event.value)
                                        case .delete: s.objects[event.value.key] = nil
                                        }
                                    }
                                    s.generation += 1
                                }
                            }
                        }
                    }
                    try await group.next()
                    group.cancelAll()
                }
            } catch is CancellationError {
                return
            } catch {
                logger.warning("watch of \(prefixes) failed, relisting", metadata: ["error": "\(error)"])
                try? await Task.sleep(for: .milliseconds(500))
            }
        }
    }
}
