import Foundation
import Testing
@testable import KubeCore

struct CatalogueTests {
    static let widgetCRD = try! JSONValue(parsing: Data("""
    {"apiVersion":"apiextensions.k8s.io/v1","kind":"CustomResourceDefinition","metadata":{"name":"widgets.example.com"},
     "spec":{"group":"example.com","scope":"Namespaced",
       "names":{"kind":"Widget","plural":"widgets","singular":"widget","shortNames":["wd"],"categories":["all"],"listKind":"WidgetList"},
       "versions":[
         {"name":"v1beta1","served":true,"storage":false},
         {"name":"v1","served":true,"storage":true,"subresources":{"status":{},"scale":{"specReplicasPath":".spec.replicas","statusReplicasPath":".status.replicas"}},
          "additionalPrinterColumns":[{"name":"Replicas","type":"integer","jsonPath":".spec.replicas"},
                                      {"name":"Ready","type":"string","jsonPath":".status.conditions[?(@.type==\\"Ready\\")].status"},
                                      {"name":"Age","type":"date","jsonPath":".metadata.creationTimestamp"}]},
         {"name":"v0","served":false,"storage":false}]}}
    """.utf8))

    @Test func customResourceFromCRD() {
        let types = ResourceCatalogue.customResource(fromCRD: Self.widgetCRD)
        #expect(types.map(\.version) == ["v1beta1", "v1"])
        let v1 = types[1]
        #expect(v1.kind == "Widget" && v1.plural == "widgets" && v1.singular == "widget" && v1.shortNames == ["wd"])
        #expect(v1.namespaced && v1.isCustom && v1.storagePrefix == "example.com/widgets")
        #expect(v1.subresources == ["status", "scale"])
        #expect(v1.printerColumns.map(\.name) == ["Replicas", "Ready", "Age"])
        #expect(types[0].printerColumns == [PrinterColumn.age])
        #expect(v1.key(namespace: "default", name: "w") == "/registry/example.com/widgets/default/w")
    }

    @Test func groupsInDiscoveryOrder() {
        let catalogue = ResourceCatalogue(crds: [Self.widgetCRD])
        let names = catalogue.groups.map(\.name)
        #expect(names.first == "")
        #expect(Array(names.prefix(4)) == ["", "apps", "events.k8s.io", "authentication.k8s.io"])
        // CRD groups (APIService priority 1000) come before metrics.k8s.io (metrics-server's 100).
        #expect(Array(names.suffix(2)) == ["example.com", "metrics.k8s.io"])
        #expect(names.firstIndex(of: "apiregistration.k8s.io")! < names.firstIndex(of: "example.com")!)
        #expect(catalogue.group(named: "autoscaling")?.versions == ["v2", "v1"])
        #expect(catalogue.group(named: "example.com")?.versions == ["v1", "v1beta1"])
        #expect(catalogue.group(named: "example.com")?.preferredVersion == "v1")
    }

    @Test func lookups() {
        let catalogue = ResourceCatalogue(crds: [Self.widgetCRD])
        #expect(catalogue.lookup(group: "apps", version: "v1", plural: "deployments") == BuiltinResources.deployments)
        #expect(catalogue.lookup(group: "apps", version: "v1", plural: "deployment") == nil)
        #expect(catalogue.lookup(group: "example.com", version: "v1beta1", plural: "widgets")?.kind == "Widget")
        #expect(catalogue.lookup(apiVersion: "v1", kind: "ConfigMap") == BuiltinResources.configMaps)
        #expect(catalogue.resolve("deploy") == [BuiltinResources.deployments])
        #expect(catalogue.resolve("Deployment.apps") == [BuiltinResources.deployments])
        #expect(catalogue.resolve("hpa") == [BuiltinResources.horizontalPodAutoscalers])
        #expect(catalogue.resolve("wd").map(\.version) == ["v1"])
        #expect(Set(catalogue.resolve("events").map(\.group)) == ["", "events.k8s.io"])
    }

    @Test func kubeVersionOrder() {
        #expect(KubeVersionOrder.sorted(["v1alpha1", "v1", "foo1", "v2beta1", "v11alpha2", "v2", "v10beta3", "v10", "foo10"])
                == ["v10", "v2", "v1", "v10beta3", "v2beta1", "v11alpha2", "v1alpha1", "foo1", "foo10"])
    }
}
