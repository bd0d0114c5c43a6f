import Foundation
import KubeClient
import KubeCore
import Testing

/// HTTPKubeAPI against a running apiserver (`ketch up`, or any cluster): set
/// KETCH_TEST_KUBECONFIG to an admin kubeconfig to run these.
@Suite(.enabled(if: ProcessInfo.processInfo.environment["KETCH_TEST_KUBECONFIG"] != nil,
                "set KETCH_TEST_KUBECONFIG to run against a live apiserver"),
       .serialized)
struct HTTPKubeAPILiveTests {
    let configMaps = BuiltinResources.configMaps

    func config() throws -> KubeConfig {
        try KubeConfig.load(path: ProcessInfo.processInfo.environment["KETCH_TEST_KUBECONFIG"] ?? "")
    }

    func client() throws -> HTTPKubeAPI {
        try HTTPKubeAPI(config: config(), userAgent: "ketch-tests/v0.0.0 (linux/amd64) ketch")
    }

    /// How many sockets this process has open (Linux: /proc/self/fd); each connection to the
    /// apiserver is one.
    static func openSockets() -> Int {
        let fds = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd")) ?? []
        return fds.filter { fd in
            ((try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/fd/" + fd)) ?? "").hasPrefix("socket:")
        }.count
    }

    func configMap(labels: [String: String], data: [String: String]) -> JSONValue {
        .object([
            "apiVersion": .string("v1"), "kind": .string("ConfigMap"),
            "metadata": .object(["generateName": .string("kubeclient-"), "labels": .object(labels.mapValues(JSONValue.string))]),
            "data": .object(data.mapValues(JSONValue.string)),
        ])
    }

    @Test func verbsAndStatuses() async throws {
        let api = try client()
        defer { Task { try? await api.shutdown() } }
        let run = UUID().uuidString.prefix(8).lowercased()
        let created = try await api.create(configMaps, namespace: "default", configMap(labels: ["run": run], data: ["a": "1"]))
        let name = try #require(created["metadata"]?["name"]?.string)
        #expect(name.hasPrefix("kubeclient-"))
        let got = try await api.get(configMaps, namespace: "default", name: name)
        #expect(got["data"]?["a"] == .string("1"))

        let listed = try await api.list(configMaps, namespace: "default", options: .init(labelSelector: "run=\(run)"))
        #expect(listed.items.map { $0["metadata"]?["name"]?.string } == [name])
        #expect(listed.items.first?["kind"] == .string("ConfigMap"))
        #expect(!listed.resourceVersion.isEmpty)

        var changed = got
        changed["data"] = .object(["a": .string("2")])
        let updated = try await api.update(configMaps, namespace: "default", changed)
        #expect(updated["data"]?["a"] == .string("2"))
        // The first version is stale now: 409 Conflict from the server's Status.
        do {
            _ = try await api.update(configMaps, namespace: "default", changed)
            Issue.record("a stale update must fail")
        } catch let status as KubeStatus {
            #expect(status.code == 409)
            #expect(status.reason == "Conflict")
        }

        let patched = try await api.patch(configMaps, namespace: "default", name: name,
                                          .object(["data": .object(["b": .string("3")])]), kind: .merge, subresource: nil)
        #expect(patched["data"] == .object(["a": .string("2"), "b": .string("3")]))
        let strategic = try await api.patch(configMaps, namespace: "default", name: name,
                                            .object(["metadata": .object(["labels": .object(["x": .string("y")])])]),
                                            kind: .strategicMerge, subresource: nil)
        #expect(strategic["metadata"]?["labels"]?["x"] == .string("y"))

        try await api.delete(configMaps, namespace: "default", name: name, options: .init())
        await #expect(throws: KubeStatus.self) { try await api.get(configMaps, namespace: "default", name: name) }
        #expect(try await api.getIfPresent(configMaps, namespace: "default", name: name) == nil)
        do {
            _ = try await api.get(configMaps, namespace: "default", name: name)
        } catch let status as KubeStatus {
            #expect(status.code == 404)
            #expect(status.reason == "NotFound")
            #expect(status.message == "configmaps \"\(name)\" not found")
        }
    }

    @Test func watchFromAListAndCancel() async throws {
        let api = try client()
        defer { Task { try? await api.shutdown() } }
        let run = UUID().uuidString.prefix(8).lowercased()
        let start = try await api.list(configMaps, namespace: "default", options: .init(labelSelector: "run=\(run)"))
        let stream = try await api.watch(configMaps, namespace: "default",
                                         options: .init(labelSelector: "run=\(run)", resourceVersion: start.resourceVersion))
        let created = try await api.create(configMaps, namespace: "default", configMap(labels: ["run": run], data: [:]))
        let name = try #require(created["metadata"]?["name"]?.string)
        _ = try await api.patch(configMaps, namespace: "default", name: name, .object(["data": .object(["k": .string("v")])]),
                                kind: .merge, subresource: nil)
        try await api.delete(configMaps, namespace: "default", name: name, options: .init())
        var kinds: [String] = []
        for try await event in stream {
            switch event {
            case .added(let o): kinds.append("ADDED \(o["metadata"]?["name"]?.string ?? "")")
            case .modified(let o): kinds.append("MODIFIED \(o["data"]?["k"]?.string ?? "")")
            case .deleted: kinds.append("DELETED")
            case .bookmark: continue
            case .error(let status): Issue.record("watch error \(status)")
            }
            if kinds.count == 3 { break }
        }
        #expect(kinds == ["ADDED \(name)", "MODIFIED v", "DELETED"])

        // A consumer that is cancelled mid-watch ends its stream and closes its connection.
        let before = Self.openSockets()
        for _ in 0..<12 {
            let idle = try await api.watch(configMaps, namespace: "default", options: .init(labelSelector: "run=none-\(run)"))
            let consumer = Task {
                var count = 0
                for try await _ in idle { count += 1 }
                return count
            }
            try await Task.sleep(for: .milliseconds(50))
            consumer.cancel()
            #expect(try await consumer.value == 0)
        }
        let deadline = ContinuousClock.now + .seconds(10)
        while Self.openSockets() > before + 2, ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(100))
        }
        #expect(Self.openSockets() <= before + 2, "cancelled watches must close their connections")
        _ = try await api.list(configMaps, namespace: "default", options: .init(limit: 1))

        // A watch from a version long compacted away: the server says 410 Expired, as an ERROR
        // event or a refusal of the request.
        do {
            let old = try await api.watch(configMaps, namespace: "default", options: .init(resourceVersion: "1"))
            for try await event in old {
                if case .error(let status) = event { #expect(status.code == 410) }
                break
            }
        } catch let status as KubeStatus {
            #expect(status.code == 410)
        }
    }

    @Test func leaderElectionAgainstTheServer() async throws {
        let api = try client()
        defer { Task { try? await api.shutdown() } }
        let name = "kubeclient-" + UUID().uuidString.prefix(8).lowercased()
        let elector = LeaderElector(api: api, config: LeaderElectionConfig(
            name: name, namespace: "default", leaseDuration: .seconds(3), renewDeadline: .seconds(2), retryPeriod: .milliseconds(300)))
        let run = Task { await elector.run(onStartedLeading: {}) }
        let deadline = ContinuousClock.now + .seconds(20)
        while await !elector.isLeader, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(100)) }
        #expect(await elector.isLeader)
        let lease = try await api.get(BuiltinResources.leases, namespace: "default", name: name)
        #expect(lease["spec"]?["holderIdentity"]?.string == elector.config.identity)
        run.cancel()
        await run.value
        let released = try await api.get(BuiltinResources.leases, namespace: "default", name: name)
        #expect(released["spec"]?["holderIdentity"]?.string == "")
        try await api.delete(BuiltinResources.leases, namespace: "default", name: name, options: .init())
    }
}
