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

    @Test func builtInKindsHaveKubesRealSchemas() throws {
        #expect(KubeOpenAPIDefinitions.all.count > 600)
        let doc = try #require(OpenAPIV3.document(catalogue, group: "apps", version: "v1"))
        let schemas = try #require(doc["components"]?["schemas"]?.object)
        let spec = try #require(schemas["io.k8s.api.apps.v1.DeploymentSpec"])
        #expect(spec["required"] == .array([.string("selector"), .string("template")]))
        // A reference with a description beside it becomes allOf, as kube-apiserver writes it.
        let template = try #require(spec["properties"]?["template"])
        #expect(template["allOf"] == .array([.object(["$ref": .string("#/components/schemas/io.k8s.api.core.v1.PodTemplateSpec")])]))
        #expect(template["description"]?.string?.hasPrefix("Template describes the pods") == true)
        // Every schema a kind reaches is in its group version's document, and nothing dangles.
        func refs(_ value: JSONValue) -> [String] {
            switch value {
            case .object(let members): return (members["$ref"]?.string.map { [$0] } ?? []) + members.values.flatMap(refs)
            case .array(let items): return items.flatMap(refs)
            default: return []
            }
        }
        for (name, schema) in schemas {
            for ref in refs(schema) {
                let target = ref.replacingOccurrences(of: "#/components/schemas/", with: "")
                #expect(ref.hasPrefix("#/components/schemas/") && schemas[target] != nil, "\(name) refers to \(ref)")
            }
        }
        #expect(schemas["io.k8s.api.core.v1.Container"] != nil)
        #expect(schemas["io.k8s.apimachinery.pkg.util.intstr.IntOrString"]?["format"] == .string("int-or-string"))
        // The CRD's kind keeps its free-form schema.
        let crds = try #require(OpenAPIV3.document(catalogue, group: "example.com", version: "v1"))
        #expect(crds["components"]?["schemas"]?["com.example.v1.Widget"]?["x-kubernetes-preserve-unknown-fields"] == .bool(true))
    }

    @Test func closureFollowsReferences() {
        let names = KubeOpenAPIDefinitions.closure(of: ["io.k8s.api.core.v1.ConfigMap"])
        #expect(names.contains("io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"))
        #expect(names.contains("io.k8s.apimachinery.pkg.apis.meta.v1.ManagedFieldsEntry"))
        #expect(!names.contains("io.k8s.api.core.v1.PodSpec"))
    }

    @Test func v2Protobuf() {
        let bytes = [UInt8](OpenAPIV2.protobufDocument())
        #expect(Array(bytes.prefix(5)) == [0x0A, 3, 0x32, 0x2E, 0x30])
        #expect(bytes[5] == 0x12 && Int(bytes[6]) == bytes.count - 7)
    }
}
