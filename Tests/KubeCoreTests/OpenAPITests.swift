import Foundation
import Testing
@testable import KubeCore

struct OpenAPITests {
    let catalogue = ResourceCatalogue(crds: [CatalogueTests.widgetCRD])

    @Test func indexListsEveryGroupVersion() throws {
        let index = OpenAPIV3.index(catalogue)
        let paths = try #require(index["paths"]?.object)
        #expect(paths["api/v1"]?["serverRelativeURL"]?.string?.hasPrefix("/openapi/v3/api/v1?hash=") == true)
        #expect(paths["apis/apps/v1"] != nil && paths["apis/autoscaling/v1"] != nil && paths["apis/example.com/v1beta1"] != nil)
    }

    @Test func configMapSchemaForExplain() throws {
        let doc = try #require(OpenAPIV3.document(catalogue, group: "", version: "v1"))
        let cm = try #require(doc["components"]?["schemas"]?["io.k8s.api.core.v1.ConfigMap"])
        #expect(cm["x-kubernetes-group-version-kind"] == .array([.object(["group": .string(""), "version": .string("v1"), "kind": .string("ConfigMap")])]))
        #expect(cm["type"] == .string("object"))
        let patch = try #require(doc["paths"]?["/api/v1/namespaces/{namespace}/configmaps/{name}"]?["patch"])
        #expect(patch["parameters"]?.array?.contains { $0["name"] == .string("fieldValidation") } == true)
        #expect(patch["requestBody"]?["content"]?["application/strategic-merge-patch+json"] == nil)
        #expect(OpenAPIV3.schemaName(BuiltinResources.deployments) == "io.k8s.api.apps.v1.Deployment")
        #expect(OpenAPIV3.schemaName(catalogue.lookup(group: "example.com", version: "v1", plural: "widgets")!) == "com.example.v1.Widget")
        #expect(OpenAPIV3.document(catalogue, group: "apps", version: "v9") == nil)
    }

    @Test func v2Protobuf() {
        let bytes = [UInt8](OpenAPIV2.protobufDocument())
        #expect(Array(bytes.prefix(5)) == [0x0A, 3, 0x32, 0x2E, 0x30])
        #expect(bytes[5] == 0x12 && Int(bytes[6]) == bytes.count - 7)
    }
}
