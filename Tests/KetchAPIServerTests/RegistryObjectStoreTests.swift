import Foundation
import KubeCore
import Testing
@testable import KetchAPIServer

@Suite struct RegistryObjectStoreTests {
    let backend = InMemoryRegistryBackend()
    var store: RegistryObjectStore { RegistryObjectStore(backend: backend) }

    func configMap(_ name: String, _ data: String = "x") -> JSONValue {
        .object(["apiVersion": .string("v1"), "kind": .string("ConfigMap"),
                 "metadata": .object(["name": .string(name), "namespace": .string("default")]),
                 "data": .object(["k": .string(data)])])
    }

    @Test func createStoresJSONAtKubeKeyWithoutResourceVersion() async throws {
        let created = try await store.create(BuiltinResources.configMaps, configMap("a"))
        let stored = try #require(try await backend.get("/registry/configmaps/default/a"))
        #expect(created["metadata"]?["resourceVersion"]?.string == String(stored.modRevision))
        let raw = try JSONValue(parsing: Data(stored.value))
        #expect(raw["metadata"]?["resourceVersion"] == nil)
        await #expect(throws: KubeStatus.alreadyExists(BuiltinResources.configMaps, name: "a")) {
            _ = try await store.create(BuiltinResources.configMaps, configMap("a"))
        }
    }

    @Test func staleUpdateConflicts() async throws {
        let created = try await store.create(BuiltinResources.configMaps, configMap("a"))
        var first = created
        first["data"] = .object(["k": .string("1")])
        _ = try await store.update(BuiltinResources.configMaps, first)
        var stale = created
        stale["data"] = .object(["k": .string("stale")])
        await #expect(throws: KubeStatus.conflict(BuiltinResources.configMaps, name: "a")) {
            _ = try await store.update(BuiltinResources.configMaps, stale)
        }
        let now = try #require(try await store.get(BuiltinResources.configMaps, namespace: "default", name: "a"))
        #expect(now["data"]?["k"]?.string == "1")
    }

    @Test func pagesAreOneSnapshot() async throws {
        for i in 0..<5 { _ = try await store.create(BuiltinResources.configMaps, configMap("c\(i)")) }
        let first = try await store.list(BuiltinResources.configMaps, namespace: "default", options: .init(limit: 2))
        #expect(first.items.compactMap { $0["metadata"]?["name"]?.string } == ["c0", "c1"])
        #expect(first.remainingItemCount == 3)
        let token = try #require(first.continueToken)
        // A write after the first page does not show in later pages.
        _ = try await store.create(BuiltinResources.configMaps, configMap("c9"))
        let second = try await store.list(BuiltinResources.configMaps, namespace: "default", options: .init(limit: 10, continueToken: token))
        #expect(second.items.compactMap { $0["metadata"]?["name"]?.string } == ["c2", "c3", "c4"])
        #expect(second.continueToken == nil)
        #expect(second.resourceVersion == first.resourceVersion)
    }

    @Test func filteredPagesCountOnlyMatches() async throws {
        for i in 0..<6 { _ = try await store.create(BuiltinResources.configMaps, configMap("f\(i)", i % 2 == 0 ? "even" : "odd")) }
        let page = try await store.list(BuiltinResources.configMaps, namespace: nil, options: .init(
            limit: 2, filter: { $0["data"]?["k"]?.string == "even" }))
        #expect(page.items.compactMap { $0["metadata"]?["name"]?.string } == ["f0", "f2"])
        #expect(page.continueToken != nil)
    }

    @Test func badContinueTokenIsBadRequest() async throws {
        await #expect(throws: KubeStatus.self) {
            _ = try await store.list(BuiltinResources.configMaps, namespace: nil, options: .init(limit: 1, continueToken: "garbage"))
        }
    }
}

@Suite struct RequestInfoTests {
    @Test func parsesKubePaths() {
        var i = RequestInfo(method: "GET", path: "/api/v1/namespaces/kube-system/pods", query: [:])
        #expect(i.isResourceRequest && i.verb == "list" && i.namespace == "kube-system" && i.resource == "pods" && i.name == nil)
        i = RequestInfo(method: "GET", path: "/apis/apps/v1/namespaces/d/deployments/web/scale", query: [:])
        #expect(i.apiGroup == "apps" && i.verb == "get" && i.name == "web" && i.subresource == "scale")
        i = RequestInfo(method: "GET", path: "/api/v1/namespaces/default", query: [:])
        #expect(i.resource == "namespaces" && i.name == "default" && i.verb == "get")
        i = RequestInfo(method: "PUT", path: "/api/v1/namespaces/foo/finalize", query: [:])
        #expect(i.resource == "namespaces" && i.name == "foo" && i.subresource == "finalize" && i.verb == "update")
        i = RequestInfo(method: "GET", path: "/api/v1/configmaps", query: ["watch": "true"])
        #expect(i.verb == "watch" && i.namespace == nil)
        i = RequestInfo(method: "DELETE", path: "/api/v1/namespaces/x/configmaps", query: [:])
        #expect(i.verb == "deletecollection")
        i = RequestInfo(method: "GET", path: "/api/v1/namespaces/x/pods/p/exec", query: [:])
        #expect(i.verb == "create" && i.subresource == "exec")
        i = RequestInfo(method: "GET", path: "/apis", query: [:])
        #expect(!i.isResourceRequest && i.verb == "get")
    }

    @Test func queryDecodesPlusAsSpace() {
        let q = RequestQuery(raw: "command=sh&command=-c&command=ETCDCTL_API%3D3+etcdctl+get")
        #expect(q.values("command") == ["sh", "-c", "ETCDCTL_API=3 etcdctl get"])
    }

    @Test func acceptNegotiation() {
        #expect(ResponseShape(accept: "application/json;as=Table;v=v1;g=meta.k8s.io,application/json", includeObject: nil) == .table(includeObject: "Metadata"))
        #expect(ResponseShape(accept: "application/vnd.kubernetes.protobuf,application/json", includeObject: nil) == .object)
        #expect(ResponseShape(accept: "application/json;as=PartialObjectMetadataList;v=v1;g=meta.k8s.io", includeObject: nil) == .partialMetadata)
    }
}

@Suite struct ObjectValidationTests {
    @Test func wronglyTypedMetadataIsBadRequest() {
        let bad: JSONValue = .object(["metadata": .object(["name": .integer(5)])])
        #expect(throws: KubeStatus.self) { try ObjectValidation.checkTypes(bad, BuiltinResources.configMaps) }
        let badData: JSONValue = .object(["metadata": .object(["name": .string("a")]), "data": .object(["k": .integer(1)])])
        do {
            try ObjectValidation.checkTypes(badData, BuiltinResources.configMaps)
            Issue.record("expected a failure")
        } catch let status as KubeStatus {
            #expect(status.code == 400)
            #expect(status.message.contains("cannot unmarshal number into Go struct field ConfigMap.data of type string"))
        } catch { Issue.record("\(error)") }
    }

    @Test func invalidNamesAre422WithCauses() {
        // As the handlers hand it over: defaulted, so in its namespace.
        let bad: JSONValue = .object(["metadata": .object(["name": .string("Bad_Name"), "namespace": .string("default")])])
        do {
            try ObjectValidation.validate(bad, BuiltinResources.configMaps, old: nil)
            Issue.record("expected a failure")
        } catch let status as KubeStatus {
            #expect(status.code == 422 && status.reason == "Invalid")
            #expect(status.message.hasPrefix("ConfigMap \"Bad_Name\" is invalid: metadata.name: Invalid value: \"Bad_Name\": a lowercase RFC 1123 subdomain"))
        } catch { Issue.record("\(error)") }
        #expect(throws: KubeStatus.self) {
            try ObjectValidation.validate(.object(["metadata": .object([:])]), BuiltinResources.configMaps, old: nil)
        }
        #expect(throws: Never.self) {
            try ObjectValidation.validate(.object(["metadata": .object(["name": .string("ok.name-1"), "namespace": .string("default")])]), BuiltinResources.configMaps, old: nil)
        }
    }
}
