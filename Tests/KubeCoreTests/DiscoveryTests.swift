import Foundation
import Testing
@testable import KubeCore

struct DiscoveryTests {
    let catalogue = ResourceCatalogue(crds: [CatalogueTests.widgetCRD])

    /// The item of an APIGroupDiscoveryList for a group.
    func item(_ list: JSONValue, _ group: String) -> JSONValue? {
        list["items"]?.array?.first { ($0["metadata"]?["name"]?.string ?? "") == group }
    }

    @Test func aggregatedAppsV1HasDeploymentsWithScale() throws {
        let list = AggregatedDiscovery.groupDiscoveryList(catalogue, legacy: false, version: .v2)
        #expect(list["kind"] == .string("APIGroupDiscoveryList"))
        #expect(list["apiVersion"] == .string("apidiscovery.k8s.io/v2"))
        let apps = try #require(item(list, "apps"))
        let v1 = try #require(apps["versions"]?.array?.first)
        #expect(v1["version"] == .string("v1"))
        #expect(v1["freshness"] == .string("Current"))
        let deployments = try #require(v1["resources"]?.array?.first { $0["resource"] == .string("deployments") })
        #expect(deployments["scope"] == .string("Namespaced"))
        #expect(deployments["singularResource"] == .string("deployment"))
        #expect(deployments["responseKind"] == .object(["group": .string("apps"), "version": .string("v1"), "kind": .string("Deployment")]))
        #expect(deployments["shortNames"] == .array([.string("deploy")]))
        #expect(deployments["categories"] == .array([.string("all")]))
        let scale = try #require(deployments["subresources"]?.array?.first { $0["subresource"] == .string("scale") })
        #expect(scale["responseKind"] == .object(["group": .string("autoscaling"), "version": .string("v1"), "kind": .string("Scale")]))
        #expect(scale["verbs"] == .array(["get", "patch", "update"].map(JSONValue.string)))
    }

    @Test func aggregatedV2beta1DiffersOnlyInApiVersion() {
        var beta = AggregatedDiscovery.groupDiscoveryList(catalogue, legacy: true, version: .v2beta1)
        #expect(beta["apiVersion"] == .string("apidiscovery.k8s.io/v2beta1"))
        beta["apiVersion"] = .string("apidiscovery.k8s.io/v2")
        #expect(beta == AggregatedDiscovery.groupDiscoveryList(catalogue, legacy: true, version: .v2))
    }

    @Test func aggregatedLegacyIsOneUnnamedGroup() throws {
        let list = AggregatedDiscovery.groupDiscoveryList(catalogue, legacy: true)
        let items = try #require(list["items"]?.array)
        #expect(items.count == 1)
        #expect(items[0]["metadata"]?["name"] == nil)
        let pods = try #require(items[0]["versions"]?.array?[0]["resources"]?.array?.first { $0["resource"] == .string("pods") })
        #expect(pods["responseKind"] == .object(["group": .string(""), "version": .string("v1"), "kind": .string("Pod")]))
        let subs = pods["subresources"]?.array?.compactMap { $0["subresource"]?.string }
        #expect(subs == ["attach", "binding", "ephemeralcontainers", "eviction", "exec", "log", "portforward", "proxy", "resize", "status"])
        let nodes = try #require(items[0]["versions"]?.array?[0]["resources"]?.array?.first { $0["resource"] == .string("nodes") })
        #expect(nodes["scope"] == .string("Cluster"))
    }

    @Test func aggregatedCustomResourceGroupListsVersionsPreferredFirst() throws {
        let list = AggregatedDiscovery.groupDiscoveryList(catalogue, legacy: false)
        let group = try #require(item(list, "example.com"))
        #expect(group["versions"]?.array?.compactMap { $0["version"]?.string } == ["v1", "v1beta1"])
        // CRD groups come after the built-in ones, before metrics.k8s.io (APIService priority 100).
        let names = list["items"]?.array?.compactMap { $0["metadata"]?["name"]?.string } ?? []
        #expect(Array(names.suffix(2)) == ["example.com", "metrics.k8s.io"])
    }

    @Test func acceptHeaderNegotiation() {
        let kubectl133 = "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,application/json"
        #expect(AggregatedDiscovery.requestedVersion(accept: kubectl133) == .v2)
        let kubectl127 = "application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,application/json"
        #expect(AggregatedDiscovery.requestedVersion(accept: kubectl127) == .v2beta1)
        #expect(AggregatedDiscovery.requestedVersion(accept: "application/json, */*") == nil)
        let proto = "application/vnd.kubernetes.protobuf;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList"
        #expect(AggregatedDiscovery.requestedVersion(accept: proto) == nil)
    }

    @Test func legacyDocuments() throws {
        let versions = LegacyDiscovery.apiVersions(serverAddress: "10.0.0.1:6443")
        #expect(try String(decoding: versions.encoded(), as: UTF8.self)
                == #"{"kind":"APIVersions","serverAddressByClientCIDRs":[{"clientCIDR":"0.0.0.0/0","serverAddress":"10.0.0.1:6443"}],"versions":["v1"]}"#)

        let groups = LegacyDiscovery.apiGroupList(catalogue)
        let names = groups["groups"]?.array?.compactMap { $0["name"]?.string } ?? []
        #expect(names.first == "apiregistration.k8s.io")
        #expect(names.contains("") == false)
        #expect(names.dropFirst().first == "apps")

        let autoscaling = try #require(LegacyDiscovery.apiGroup(catalogue, name: "autoscaling"))
        #expect(autoscaling["kind"] == .string("APIGroup"))
        #expect(autoscaling["preferredVersion"] == .object(["groupVersion": .string("autoscaling/v2"), "version": .string("v2")]))
        #expect(LegacyDiscovery.apiGroup(catalogue, name: "nope.example") == nil)
    }

    @Test func legacyResourceList() throws {
        let apps = try #require(LegacyDiscovery.apiResourceList(catalogue, group: "apps", version: "v1"))
        #expect(apps["groupVersion"] == .string("apps/v1"))
        let names = apps["resources"]?.array?.compactMap { $0["name"]?.string } ?? []
        #expect(names.contains("deployments/scale") && names.contains("deployments/status"))
        #expect(names == names.sorted())
        let scale = try #require(apps["resources"]?.array?.first { $0["name"] == .string("deployments/scale") })
        #expect(scale["group"] == .string("autoscaling") && scale["version"] == .string("v1") && scale["kind"] == .string("Scale"))
        #expect(scale["singularName"] == .string(""))
        let status = try #require(apps["resources"]?.array?.first { $0["name"] == .string("deployments/status") })
        #expect(status["group"] == nil)

        let core = try #require(LegacyDiscovery.apiResourceList(catalogue, group: "", version: "v1"))
        #expect(core["groupVersion"] == .string("v1"))
        let log = try #require(core["resources"]?.array?.first { $0["name"] == .string("pods/log") })
        #expect(log["kind"] == .string("Pod") && log["verbs"] == .array([.string("get")]))
        #expect(LegacyDiscovery.apiResourceList(catalogue, group: "apps", version: "v1beta1") == nil)
    }
}
