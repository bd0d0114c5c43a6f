import Foundation
import KubeCore
import Testing

/// Custom resources validated, pruned and defaulted against their CRD schema, with
/// kube-apiserver 1.33's messages (apiextensions-apiserver `validation_test.go` cases among them).
@Suite struct CustomResourceSchemaTests {
    private func json(_ text: String) throws -> JSONValue { try JSONValue(parsing: Array(text.utf8)) }

    private func schema(_ spec: String) throws -> CustomResourceSchema {
        try CustomResourceSchema(json: json(#"{"type":"object","properties":{"spec":"# + spec + "}}"))
    }

    private func messages(_ schema: CustomResourceSchema, _ spec: String, old: String? = nil) throws -> [String] {
        let object = try json(#"{"apiVersion":"x.io/v1","kind":"W","metadata":{"name":"w"},"spec":"# + spec + "}")
        let oldObject = try old.map { try json(#"{"apiVersion":"x.io/v1","kind":"W","metadata":{"name":"w"},"spec":"# + $0 + "}") }
        return schema.validate(schema.prepare(object).object, old: oldObject).map(\.description)
    }

    @Test func typeErrorsNameTheFoundType() throws {
        let s = try schema(#"{"type":"object","properties":{"replicas":{"type":"integer"},"port":{"x-kubernetes-int-or-string":true},"o":{"type":"object"}}}"#)
        #expect(try messages(s, #"{"replicas":"string"}"#) == [
            #"spec.replicas: Invalid value: "string": spec.replicas in body must be of type integer: "string""#,
        ])
        #expect(try messages(s, #"{"port":true}"#) == [
            #"spec.port: Invalid value: "boolean": spec.port in body must be of type integer,string: "boolean""#,
        ])
        #expect(try messages(s, #"{"o":1.2}"#) == [#"spec.o: Invalid value: "number": spec.o in body must be of type object: "number""#])
        // 2.0 is a float64 with an integer value: accepted for an integer.
        #expect(try messages(s, #"{"replicas":2.0,"port":"http"}"#).isEmpty)
        #expect(try messages(s, #"{"replicas":1.5}"#) == [
            #"spec.replicas: Invalid value: "number": spec.replicas in body must be of type integer: "number""#,
        ])
    }

    @Test func enumBoundsLengthsAndPatterns() throws {
        let s = try schema(#"""
        {"type":"object","properties":{
          "size":{"type":"string","enum":["a","b"]},
          "level":{"type":"integer","enum":[1,2]},
          "replicas":{"type":"integer","minimum":1,"maximum":10},
          "ratio":{"type":"number","minimum":2,"exclusiveMaximum":true,"maximum":5.5},
          "n":{"type":"integer","multipleOf":3},
          "name":{"type":"string","maxLength":3,"minLength":2,"pattern":"^[a-z]+$"}}}
        """#)
        #expect(try messages(s, #"{"size":"x"}"#) == [#"spec.size: Unsupported value: "x": supported values: "a", "b""#])
        #expect(try messages(s, #"{"level":3}"#) == [#"spec.level: Unsupported value: 3: supported values: "1", "2""#])
        #expect(try messages(s, #"{"replicas":20}"#) == [
            "spec.replicas: Invalid value: 20: spec.replicas in body should be less than or equal to 10",
        ])
        #expect(try messages(s, #"{"replicas":0}"#) == [
            "spec.replicas: Invalid value: 0: spec.replicas in body should be greater than or equal to 1",
        ])
        #expect(try messages(s, #"{"ratio":1.5}"#) == [
            "spec.ratio: Invalid value: 1.5: spec.ratio in body should be greater than or equal to 2",
        ])
        #expect(try messages(s, #"{"ratio":5.5}"#) == ["spec.ratio: Invalid value: 5.5: spec.ratio in body should be less than 5.5"])
        #expect(try messages(s, #"{"n":7}"#) == ["spec.n: Invalid value: 7: spec.n in body should be a multiple of 3"])
        #expect(try messages(s, #"{"name":"abcd"}"#) == ["spec.name: Too long: may not be more than 3 bytes"])
        #expect(try messages(s, #"{"name":"a"}"#) == [#"spec.name: Invalid value: "a": spec.name in body should be at least 2 chars long"#])
        #expect(try messages(s, #"{"name":"AB"}"#) == [#"spec.name: Invalid value: "AB": spec.name in body should match '^[a-z]+$'"#])
        #expect(try messages(s, #"{"size":"a","level":2,"replicas":5,"ratio":3,"n":9,"name":"ab"}"#).isEmpty)
    }

    @Test func arraysRequiredAndNestedPaths() throws {
        let s = try schema(#"""
        {"type":"object","required":["items"],"properties":{
          "items":{"type":"array","minItems":2,"maxItems":3,"items":{"type":"object","required":["name"],
            "properties":{"name":{"type":"string"},"port":{"type":"integer"}}}},
          "labels":{"type":"object","additionalProperties":{"type":"string"}}}}
        """#)
        #expect(try messages(s, "{}") == ["spec.items: Required value"])
        #expect(try messages(s, #"{"items":[{"name":"a"}]}"#) == [
            "spec.items: Invalid value: 1: spec.items in body should have at least 2 items",
        ])
        #expect(try messages(s, #"{"items":[{"name":"a"},{"name":"b"},{"name":"c"},{"name":"d"}]}"#) == [
            "spec.items: Too many: 4: must have at most 3 items",
        ])
        #expect(try messages(s, #"{"items":[{"name":"a"},{"port":"x"}]}"#) == [
            #"spec.items[1].port: Invalid value: "string": spec.items[1].port in body must be of type integer: "string""#,
            "spec.items[1].name: Required value",
        ])
        #expect(try messages(s, #"{"items":[{"name":"a"},{"name":"b"}],"labels":{"k":1}}"#) == [
            #"spec.labels.k: Invalid value: "integer": spec.labels.k in body must be of type string: "integer""#,
        ])
    }

    @Test func formatsAreCheckedOnlyWhenSupported() throws {
        let s = try schema(#"""
        {"type":"object","properties":{"ip":{"type":"string","format":"ipv4"},"when":{"type":"string","format":"date-time"},
          "odd":{"type":"string","format":"no-such-format"},"id":{"type":"string","format":"uuid"}}}
        """#)
        #expect(try messages(s, #"{"ip":"300.1.1.1"}"#) == [
            #"spec.ip: Invalid value: "300.1.1.1": spec.ip in body must be of type ipv4: "300.1.1.1""#,
        ])
        #expect(try messages(s, #"{"when":"yesterday"}"#) == [
            #"spec.when: Invalid value: "yesterday": spec.when in body must be of type date-time: "yesterday""#,
        ])
        #expect(try messages(s, #"{"ip":"10.0.0.1","when":"2024-05-01T10:00:00Z","odd":"anything","id":"3f2504e0-4f89-11d3-9a0c-0305e82c3301"}"#).isEmpty)
    }

    @Test func pruningReportsUnknownFieldsAndKeepsPreservedOnes() throws {
        let s = try CustomResourceSchema(json: json(#"""
        {"type":"object","properties":{"spec":{"type":"object","properties":{
          "items":{"type":"array","items":{"type":"object","properties":{"name":{"type":"string"}}}},
          "free":{"type":"object","x-kubernetes-preserve-unknown-fields":true},
          "template":{"type":"object","x-kubernetes-embedded-resource":true,"properties":{"spec":{"type":"object"}}}}}}}
        """#))
        let object = try json(#"""
        {"apiVersion":"x.io/v1","kind":"W","metadata":{"name":"w"},"top":1,
         "spec":{"extra":true,"items":[{"name":"a","bogus":1}],"free":{"anything":{"deep":1}},
                 "template":{"apiVersion":"v1","kind":"Pod","metadata":{"name":"p","junk":1},"spec":{},"other":2}}}
        """#)
        let prepared = s.prepare(object)
        #expect(prepared.unknownFields == ["spec.extra", "spec.items[0].bogus", "spec.template.other", "top", "spec.template.metadata.junk"])
        let kept = prepared.object
        #expect(kept["top"] == nil && kept["spec"]?["extra"] == nil)
        #expect(kept["apiVersion"] == .string("x.io/v1") && kept["metadata"]?["name"] == .string("w"))
        #expect(kept["spec"]?["items"] == .array([.object(["name": .string("a")])]))
        #expect(kept["spec"]?["free"]?["anything"]?["deep"] == .integer(1))
        #expect(kept["spec"]?["template"]?["kind"] == .string("Pod"))
        #expect(kept["spec"]?["template"]?["metadata"] == .object(["name": .string("p")]))
    }

    @Test func defaultsFillAbsentFieldsInObjectsArraysAndMaps() throws {
        let s = try CustomResourceSchema(json: json(#"""
        {"type":"object","properties":{"spec":{"type":"object","default":{},"properties":{
          "replicas":{"type":"integer","default":1},
          "mode":{"type":"string","default":"fast"},
          "note":{"type":"string"},
          "ports":{"type":"array","items":{"type":"object","properties":{"protocol":{"type":"string","default":"TCP"},"port":{"type":"integer"}}}},
          "byName":{"type":"object","additionalProperties":{"type":"object","properties":{"weight":{"type":"integer","default":5}}}}}}}}
        """#))
        let absent = s.prepare(try json(#"{"apiVersion":"x.io/v1","kind":"W","metadata":{"name":"w"}}"#)).object
        #expect(absent["spec"] == .object(["replicas": .integer(1), "mode": .string("fast")]))
        let given = s.prepare(try json(#"""
        {"apiVersion":"x.io/v1","kind":"W","metadata":{"name":"w"},
         "spec":{"replicas":3,"mode":null,"note":null,"ports":[{"port":80},{"port":53,"protocol":"UDP"}],"byName":{"a":{}}}}
        """#)).object
        #expect(given["spec"]?["replicas"] == .integer(3))
        #expect(given["spec"]?["mode"] == .string("fast"))  // a non-nullable null takes the default
        #expect(given["spec"]?.object?.keys.contains("note") == false)  // and without a default is dropped
        #expect(given["spec"]?["ports"]?.array?.map { $0["protocol"] } == [.string("TCP"), .string("UDP")])
        #expect(given["spec"]?["byName"]?["a"]?["weight"] == .integer(5))
    }

    @Test func listTypesRejectDuplicates() throws {
        let s = try schema(#"""
        {"type":"object","properties":{
          "tags":{"type":"array","x-kubernetes-list-type":"set","items":{"type":"string"}},
          "ports":{"type":"array","x-kubernetes-list-type":"map","x-kubernetes-list-map-keys":["name"],
                   "items":{"type":"object","properties":{"name":{"type":"string"},"port":{"type":"integer"}}}}}}
        """#)
        #expect(try messages(s, #"{"tags":["a","b","a","a"]}"#) == [#"spec.tags[2]: Duplicate value: "a""#])
        #expect(try messages(s, #"{"ports":[{"name":"http","port":80},{"name":"http","port":81}]}"#) == [
            #"spec.ports[1]: Duplicate value: map[string]interface {}{"name":"http"}"#,
        ])
    }

    @Test func embeddedResourcesNeedTypeMeta() throws {
        let s = try schema(#"{"type":"object","properties":{"template":{"type":"object","x-kubernetes-embedded-resource":true,"x-kubernetes-preserve-unknown-fields":true}}}"#)
        #expect(try messages(s, #"{"template":{"apiVersion":"v1"}}"#) == ["spec.template.kind: Required value: must not be empty"])
        #expect(try messages(s, #"{"template":{"apiVersion":"v1","kind":"Pod","metadata":{"name":"ok"}}}"#).isEmpty)
    }

    @Test func celRulesAreReportedNotEvaluated() throws {
        let s = try schema(#"{"type":"object","x-kubernetes-validations":[{"rule":"self.a > 0"}],"required":["a"],"properties":{"a":{"type":"integer"}}}"#)
        let object = try json(#"{"apiVersion":"x.io/v1","kind":"W","metadata":{"name":"w"},"spec":{"a":-1}}"#)
        #expect(s.prepare(object).warnings == [
            #"spec: x-kubernetes-validations rule "self.a > 0" was not evaluated: Ketch does not evaluate CEL expressions"#,
        ])
        #expect(try messages(s, "{}") == [
            "spec.a: Required value",
            #"<nil>: Invalid value: "null": some validation rules were not checked because the object was invalid; correct the existing errors to complete validation"#,
        ])
    }

    @Test func unchangedInvalidValuesRatchetOnUpdate() throws {
        let s = try schema(#"{"type":"object","properties":{"replicas":{"type":"integer","maximum":10},"name":{"type":"string","maxLength":3}}}"#)
        #expect(try messages(s, #"{"replicas":20,"name":"ab"}"#, old: #"{"replicas":20,"name":"a"}"#).isEmpty)
        #expect(try messages(s, #"{"replicas":21}"#, old: #"{"replicas":20}"#) == [
            "spec.replicas: Invalid value: 21: spec.replicas in body should be less than or equal to 10",
        ])
    }

    @Test func schemaFromResourceType() throws {
        let crd = try json(#"""
        {"spec":{"group":"x.io","names":{"kind":"W","plural":"ws"},"scope":"Namespaced",
         "versions":[{"name":"v1","served":true,"storage":true,"schema":{"openAPIV3Schema":{"type":"object"}}}]}}
        """#)
        let type = try #require(ResourceCatalogue.customResource(fromCRD: crd).first)
        #expect(CustomResourceSchema(type: type) != nil)
        #expect(CustomResourceSchema(type: BuiltinResources.services) == nil)
    }
}

/// CRDs whose schema is not structural are refused (apiextensions `validateStructuralInvariants`).
@Suite struct StructuralSchemaValidationTests {
    @Test func untypedFieldsAndItemlessArraysAreReported() throws {
        let crd = try JSONValue(parsing: Array(#"""
        {"spec":{"versions":[{"name":"v1","schema":{"openAPIV3Schema":{"type":"object","properties":{
          "spec":{"properties":{"a":{"type":"string"}}},"list":{"type":"array"},"free":{"x-kubernetes-preserve-unknown-fields":true}}}}}]}}
        """#.utf8))
        #expect(StructuralSchemaValidation.errors(crd: crd).map(\.description) == [
            "spec.versions[0].schema.openAPIV3Schema.properties[list].items: Required value: must be specified",
            "spec.versions[0].schema.openAPIV3Schema.properties[spec].type: Required value: must not be empty for specified object fields",
        ])
        let root = try JSONValue(parsing: Array(#"{"properties":{"x":{"type":"string"}}}"#.utf8))
        #expect(StructuralSchemaValidation.errors(schema: root, path: "spec.versions[0].schema.openAPIV3Schema").map(\.description) == [
            "spec.versions[0].schema.openAPIV3Schema.type: Required value: must not be empty at the root",
        ])
    }
}
