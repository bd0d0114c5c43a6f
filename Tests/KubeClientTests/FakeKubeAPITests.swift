import Foundation
import KubeClient
import KubeCore
import KubeTestSupport
import Testing

/// The in-memory apiserver behaves as kube-apiserver does for what controllers rely on.
@Suite struct FakeKubeAPITests {
    let pods = BuiltinResources.pods
    let deployments = BuiltinResources.deployments

    func pod(_ name: String, labels: [String: String] = [:], node: String? = nil) -> JSONValue {
        var spec: [String: JSONValue] = ["containers": .array([.object(["name": .string("c"), "image": .string("nginx")])])]
        if let node { spec["nodeName"] = .string(node) }
        return .object([
            "metadata": .object(["name": .string(name), "namespace": .string("default"),
                                 "labels": .object(labels.mapValues(JSONValue.string))]),
            "spec": .object(spec),
        ])
    }

    func deployment(_ name: String, replicas: Int) -> JSONValue {
        .object([
            "metadata": .object(["name": .string(name)]),
            "spec": .object(["replicas": .integer(replicas)]),
            "status": .object(["replicas": .integer(7)]),
        ])
    }

    @Test func createAssignsServerMetadata() async throws {
        let api = FakeKubeAPI()
        let created = try await api.create(deployments, namespace: "default", deployment("web", replicas: 2))
        #expect(created["apiVersion"] == .string("apps/v1"))
        #expect(created["kind"] == .string("Deployment"))
        #expect(created[path: ["metadata", "namespace"]] == .string("default"))
        #expect(created[path: ["metadata", "uid"]]?.string?.count == 36)
        #expect(created[path: ["metadata", "resourceVersion"]] == .string("1"))
        #expect(created[path: ["metadata", "generation"]] == .integer(1))
        #expect(KubeTime.parse(created[path: ["metadata", "creationTimestamp"]]?.string ?? "") != nil)
        // The status subresource's strategy drops the status a create carries.
        #expect(created["status"] == nil)
        let second = try await api.create(pods, namespace: "default", pod("p"))
        #expect(second[path: ["metadata", "resourceVersion"]] == .string("2"))
        #expect(second[path: ["status", "phase"]] == .string("Pending"))
    }

    @Test func generateNameAndAlreadyExists() async throws {
        let api = FakeKubeAPI()
        var object = pod("")
        object["metadata"] = .object(["generateName": .string("web-")])
        let created = try await api.create(pods, namespace: "default", object)
        let name = try #require(created[path: ["metadata", "name"]]?.string)
        #expect(name.hasPrefix("web-") && name.count == 9)
        await #expect(throws: KubeStatus.alreadyExists(pods, name: name)) {
            try await api.create(pods, namespace: "default", created.removingResourceVersion())
        }
        await #expect(throws: KubeStatus.self) { try await api.create(pods, namespace: "default", pod("")) }
    }

    @Test func updateBumpsGenerationOnlyForSpecAndChecksResourceVersion() async throws {
        let api = FakeKubeAPI()
        var object = try await api.create(deployments, namespace: "default", deployment("web", replicas: 2))
        var labelled = object
        labelled["metadata"]?["labels"] = .object(["a": .string("b")])
        let relabelled = try await api.update(deployments, namespace: "default", labelled)
        #expect(relabelled[path: ["metadata", "generation"]] == .integer(1))
        // The first version is stale now.
        await #expect(throws: KubeStatus.conflict(deployments, name: "web")) {
            try await api.update(deployments, namespace: "default", object)
        }
        var scaled = relabelled
        scaled["spec"] = .object(["replicas": .integer(5)])
        scaled["status"] = .object(["replicas": .integer(99)])
        let updated = try await api.update(deployments, namespace: "default", scaled)
        #expect(updated[path: ["metadata", "generation"]] == .integer(2))
        #expect(updated["status"] == nil, "a whole-object update keeps the stored status")
        var status = updated
        status["status"] = .object(["replicas": .integer(5)])
        status["spec"] = .object(["replicas": .integer(100)])
        let afterStatus = try await api.updateStatus(deployments, namespace: "default", status)
        #expect(afterStatus[path: ["status", "replicas"]] == .integer(5))
        #expect(afterStatus[path: ["spec", "replicas"]] == .integer(5), "a status update keeps the spec")
        #expect(afterStatus[path: ["metadata", "generation"]] == .integer(2))
        await #expect(throws: KubeStatus.notFound(deployments, name: "nope")) {
            try await api.update(deployments, namespace: "default", deployment("nope", replicas: 1))
        }
    }

    @Test func listHonoursSelectorsAndPages() async throws {
        let api = FakeKubeAPI()
        try await api.create(pods, namespace: "default", pod("a", labels: ["app": "web"], node: "n1"))
        try await api.create(pods, namespace: "default", pod("b", labels: ["app": "web"]))
        try await api.create(pods, namespace: "other", pod("c", labels: ["app": "db"], node: "n1"))
        func names(_ list: KubeList) -> [String] { list.items.compactMap { $0[path: ["metadata", "name"]]?.string } }
        #expect(names(try await api.list(pods, namespace: nil, options: .init(labelSelector: "app=web"))) == ["a", "b"])
        #expect(names(try await api.list(pods, namespace: nil, options: .init(fieldSelector: "spec.nodeName=n1"))) == ["a", "c"])
        #expect(names(try await api.list(pods, namespace: "default", options: .init(fieldSelector: "spec.nodeName!=n1"))) == ["b"])
        #expect(names(try await api.list(pods, namespace: "other", options: .init())) == ["c"])
        let all = try await api.list(pods, namespace: nil, options: .init())
        #expect(all.resourceVersion == "3")
        let paged = try await api.listAll(pods, namespace: nil, options: .init(limit: 2))
        #expect(names(paged) == ["a", "b", "c"])
        await #expect(throws: KubeStatus.self) {
            try await api.list(pods, namespace: nil, options: .init(labelSelector: "a b c"))
        }
    }

    @Test func deleteWithFinalizersAndPropagation() async throws {
        let api = FakeKubeAPI()
        try await api.create(deployments, namespace: "default", deployment("plain", replicas: 1))
        let gone = try await api.delete(deployments, namespace: "default", name: "plain", options: .init())
        #expect(gone[path: ["metadata", "name"]] == .string("plain"))
        #expect(await api.objects(deployments).isEmpty)

        try await api.create(deployments, namespace: "default", deployment("fg", replicas: 1))
        let held = try await api.delete(deployments, namespace: "default", name: "fg", options: .init(propagationPolicy: "Foreground"))
        #expect(held[path: ["metadata", "finalizers"]] == .array([.string("foregroundDeletion")]))
        #expect(held[path: ["metadata", "deletionTimestamp"]]?.string != nil)
        #expect(held[path: ["metadata", "generation"]] == .integer(2))
        // Removing the last finalizer lets the object go.
        var released = held
        released["metadata"]?["finalizers"] = .array([])
        _ = try await api.update(deployments, namespace: "default", released)
        #expect(await api.object(deployments, namespace: "default", name: "fg") == nil)

        try await api.create(deployments, namespace: "default", deployment("or", replicas: 1))
        let orphaned = try await api.delete(deployments, namespace: "default", name: "or", options: .init(propagationPolicy: "Orphan"))
        #expect(orphaned[path: ["metadata", "finalizers"]] == .array([.string("orphan")]))
        await #expect(throws: KubeStatus.notFound(deployments, name: "nope")) {
            try await api.delete(deployments, namespace: "default", name: "nope", options: .init())
        }
    }

    @Test func scheduledPodsDeleteGracefully() async throws {
        let api = FakeKubeAPI()
        try await api.create(pods, namespace: "default", pod("bound", node: "n1"))
        let terminating = try await api.delete(pods, namespace: "default", name: "bound", options: .init())
        #expect(terminating[path: ["metadata", "deletionGracePeriodSeconds"]] == .integer(30))
        #expect(await api.object(pods, namespace: "default", name: "bound") != nil)
        try await api.delete(pods, namespace: "default", name: "bound", options: .init(gracePeriodSeconds: 0))
        #expect(await api.object(pods, namespace: "default", name: "bound") == nil)
    }

    @Test func mergePatchAndBinding() async throws {
        let api = FakeKubeAPI()
        try await api.create(pods, namespace: "default", pod("p", labels: ["app": "web", "tier": "x"]))
        let patched = try await api.patch(pods, namespace: "default", name: "p",
                                          .object(["metadata": .object(["labels": .object(["tier": .null])])]),
                                          kind: .merge, subresource: nil)
        #expect(patched[path: ["metadata", "labels"]] == .object(["app": .string("web")]))
        let binding: JSONValue = .object(["apiVersion": .string("v1"), "kind": .string("Binding"),
                                          "metadata": .object(["name": .string("p")]),
                                          "target": .object(["kind": .string("Node"), "name": .string("n1")])])
        try await api.createSubresource(pods, namespace: "default", name: "p", subresource: "binding", binding)
        let bound = try #require(await api.object(pods, namespace: "default", name: "p"))
        #expect(bound[path: ["spec", "nodeName"]] == .string("n1"))
        #expect(bound[path: ["status", "conditions"]]?.array?.first?["type"] == .string("PodScheduled"))
        await #expect(throws: KubeStatus.self) {
            try await api.createSubresource(pods, namespace: "default", name: "p", subresource: "binding", binding)
        }
        #expect(await api.writes.map(\.description) == [
            "create pods default/p", "patch pods default/p", "create pods default/p/binding", "create pods default/p/binding",
        ])
    }

    @Test func watchReplaysFollowsAndExpires() async throws {
        let api = FakeKubeAPI()
        let first = try await api.create(pods, namespace: "default", pod("a", labels: ["app": "web"]))
        let rv = try #require(first[path: ["metadata", "resourceVersion"]]?.string)
        try await api.create(pods, namespace: "default", pod("b", labels: ["app": "web"]))
        let stream = try await api.watch(pods, namespace: "default", options: .init(labelSelector: "app=web", resourceVersion: rv))
        var iterator = stream.makeAsyncIterator()
        guard case .added(let b)? = try await iterator.next() else { Issue.record("expected ADDED b"); return }
        #expect(b[path: ["metadata", "name"]] == .string("b"))
        // Leaving the selection reads as DELETED.
        _ = try await api.patch(pods, namespace: "default", name: "a",
                                .object(["metadata": .object(["labels": .object(["app": .string("db")])])]),
                                kind: .merge, subresource: nil)
        guard case .deleted(let a)? = try await iterator.next() else { Issue.record("expected DELETED a"); return }
        #expect(a[path: ["metadata", "name"]] == .string("a"))
        await api.compact(upTo: 3)
        let expired = try await api.watch(pods, namespace: nil, options: .init(resourceVersion: rv))
        var late = expired.makeAsyncIterator()
        guard case .error(let status)? = try await late.next() else { Issue.record("expected ERROR"); return }
        #expect(status.code == 410)
        #expect(try await late.next() == nil)
        // Without a version, the current objects come first.
        let fresh = try await api.watch(pods, namespace: nil, options: .init())
        var current = fresh.makeAsyncIterator()
        guard case .added? = try await current.next(), case .added? = try await current.next() else {
            Issue.record("expected the two pods as ADDED"); return
        }
    }

    @Test func injectedFailuresAndActions() async throws {
        let api = FakeKubeAPI()
        await api.failNext(verb: "create", resource: pods, with: KubeStatus.internalError("boom"))
        await #expect(throws: KubeStatus.internalError("boom")) { try await api.create(pods, namespace: "default", pod("p")) }
        try await api.create(pods, namespace: "default", pod("p"))
        _ = try await api.get(pods, namespace: "default", name: "p")
        #expect(await api.actions.count == 3)
        await api.clearActions()
        _ = try await api.list(pods, namespace: nil, options: .init())
        #expect(await api.writes.isEmpty)
    }
}

extension JSONValue {
    /// The object without `metadata.resourceVersion`, as a client sends a create.
    func removingResourceVersion() -> JSONValue {
        var copy = self
        copy["metadata"]?["resourceVersion"] = nil
        return copy
    }
}
