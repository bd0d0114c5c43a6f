import Testing
@testable import KubeCore

/// Strict decoding of request bodies against kube-apiserver 1.33's schemas: what
/// `sigs.k8s.io/json`, go-yaml and structured-merge-diff report, worded as they word it.
@Suite struct StrictDecodingTests {
    let deployment = StrictSchema.builtIn(group: "apps", version: "v1", kind: "Deployment")!

    private func parse(_ text: String, _ schema: StrictSchema?) throws -> (JSONValue, [String]) {
        let parsed = try JSONValue.parsingStrictly(Array(text.utf8), schema: schema)
        return (parsed.value, parsed.strictErrors)
    }

    @Test func unknownAndDuplicateFieldsComeInDocumentOrderWithGoPaths() throws {
        let text = """
        {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"a","name":"b","shade":1},
         "spec":{"replica":1,"paused":true,"paused":false,"template":{"spec":{"containers":[{"name":"c"},
         {"name":"d","imagePullPolicy":"Always","imagePullPolicy":"Never","portz":[1]}]}}}}
        """
        let (value, errors) = try parse(text, deployment)
        #expect(errors == [
            #"duplicate field "metadata.name""#,
            #"unknown field "metadata.shade""#,
            #"unknown field "spec.replica""#,
            #"duplicate field "spec.paused""#,
            #"duplicate field "spec.template.spec.containers[1].imagePullPolicy""#,
            #"unknown field "spec.template.spec.containers[1].portz""#,
        ])
        #expect(value["metadata"]?["name"]?.string == "b")
        #expect(value["spec"]?["paused"] == .bool(false))
    }

    @Test func aFieldBothUnknownAndDuplicatedIsReportedOnceAsUnknown() throws {
        let (_, errors) = try parse(#"{"spec":{"x":1,"x":2}}"#, deployment)
        #expect(errors == [#"unknown field "spec.x""#])
    }

    @Test func mapsAndOpenValuesAcceptAnyMember() throws {
        let text = """
        {"metadata":{"labels":{"anything":"ok"},"managedFields":[{"fieldsV1":{"f:spec":{"f:x":{}}}}]},
         "spec":{"template":{"spec":{"containers":[{"resources":{"limits":{"cpu":"1"}}}]}}}}
        """
        #expect(try parse(text, deployment).1.isEmpty)
    }

    @Test func withoutASchemaOnlyDuplicatesAreFound() throws {
        let (_, errors) = try parse(#"[{"op":"add","op":"remove","a":{"b":1,"b":2}}]"#, nil)
        #expect(errors == [#"duplicate field "[0].op""#, #"duplicate field "[0].a.b""#])
        let (_, patchErrors) = try parse(#"[{"op":"add","path":"/a","foo":1}]"#, .jsonPatch)
        #expect(patchErrors == [#"unknown field "[0].foo""#])
    }

    @Test func jsonSentAsYAMLReportsDuplicatesByLine() throws {
        let text = "{\n \"a\": 1,\n \"b\": {\"c\": 1,\n  \"c\": 2},\n \"a\": 3\n}"
        let parsed = try JSONValue.parsingYAMLDuplicates(Array(text.utf8))
        #expect(parsed.duplicateLines == [#"line 4: key "c" already set in map"#, #"line 5: key "a" already set in map"#])
        var found = StrictDecodingErrors()
        found.yamlDuplicateLines = parsed.duplicateLines
        found.fieldErrors = [#"unknown field "x""#]
        #expect(found.message == "strict decoding error: yaml: unmarshal errors:\n  line 4: key \"c\" already set in map\n  line 5: key \"a\" already set in map, unknown field \"x\"")
        #expect(found.warnings.count == 3)
    }

    @Test func unknownFieldsOfADecodedValueComeInKeyOrderAndArePruned() throws {
        let (value, _) = try parse(#"{"spec":{"zeta":1,"alpha":2,"replicas":3},"metadata":{"name":"x"}}"#, nil)
        #expect(deployment.unknownFields(in: value) == [#"unknown field "spec.alpha""#, #"unknown field "spec.zeta""#])
        #expect(deployment.pruned(value) == (try parse(#"{"spec":{"replicas":3},"metadata":{"name":"x"}}"#, nil).0))
    }

    @Test func applyConfigurationsNameListItemsByTheirKeys() throws {
        let (value, _) = try parse("""
        {"spec":{"template":{"spec":{"containers":[{"name":"web","ports":[{"containerPort":80,"protocol":"TCP","nodePort":1}]}]}},"bogus":1,"alsoBogus":2}}
        """, nil)
        #expect(deployment.undeclaredForApply(value) == [
            ".spec.alsoBogus: field not declared in schema",
        ])
        let (nested, _) = try parse(#"{"spec":{"template":{"spec":{"containers":[{"name":"web","ports":[{"containerPort":80,"protocol":"TCP","nodePort":1}]}]}}}}"#, nil)
        #expect(deployment.undeclaredForApply(nested) == [
            #".spec.template.spec.containers[name="web"].ports[containerPort=80,protocol="TCP"].nodePort: field not declared in schema"#,
        ])
    }

    @Test func customResourcesCheckMetadataAndEmbeddedResourcesAsTyped() throws {
        let schema = try JSONValue(parsing: Array("""
        {"type":"object","properties":{"spec":{"type":"object","properties":{
          "size":{"type":"integer"},
          "free":{"type":"object","x-kubernetes-preserve-unknown-fields":true},
          "inner":{"type":"object","x-kubernetes-embedded-resource":true,"properties":{"spec":{"type":"object"}}}}}}}
        """.utf8))
        let custom = StrictSchema(customResource: schema)
        let (value, _) = try parse("""
        {"apiVersion":"x/v1","kind":"K","metadata":{"name":"n","hue":1},"spec":{"size":1,"sizes":2,"free":{"a":{"b":1}},
         "inner":{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"m","tint":2}}}}
        """, nil)
        #expect(custom.unknownFields(in: value) == [
            #"unknown field "metadata.hue""#,
            #"unknown field "spec.inner.metadata.tint""#,
            #"unknown field "spec.sizes""#,
        ])
    }

    @Test func goPrintsMapsSortedAndStringsBare() {
        let patch = JSONValue.object(["spec": .object(["b": .array([.integer(1), .string("x")]), "a": .null, "c": .number(1.5)])])
        #expect(GoFormat.plusV(patch) == "map[spec:map[a:<nil> b:[1 x] c:1.5]]")
    }
}
