import Foundation
import Testing
@testable import KubeCore

/// Parses JSON text written in a test.
private func json(_ text: String) throws -> JSONValue {
    try JSONValue(parsing: Data(text.utf8))
}

/// Applies a JSON patch given as text.
private func patch(_ doc: String, _ ops: String) throws -> JSONValue {
    try JSONPatch.apply(try json(ops), to: try json(doc))
}

/// The PatchError a failing patch throws.
private func failure(_ doc: String, _ ops: String) throws -> PatchError {
    do {
        _ = try patch(doc, ops)
    } catch let error as PatchError {
        return error
    }
    Issue.record("patch applied but should have failed: \(ops)")
    return PatchError("")
}

private let configMap = """
{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"settings","namespace":"default",
 "labels":{"app.kubernetes.io/name":"shop"}},"data":{"mode":"prod","x":"1"}}
"""

@Suite("JSON Patch (RFC 6902)")
struct JSONPatchTests {
    @Test("add, replace and remove ConfigMap data as kubectl patch --type=json sends them")
    func configMapData() throws {
        let result = try patch(configMap, """
        [{"op":"replace","path":"/data/mode","value":"staging"},
         {"op":"add","path":"/data/new","value":"yes"},
         {"op":"remove","path":"/data/x"}]
        """)
        #expect(result["data"] == (try json(#"{"mode":"staging","new":"yes"}"#)))
        #expect(result[path: ["metadata", "name"]] == .string("settings"))
    }

    @Test("~1 and ~0 escapes address keys with / and ~")
    func pointerEscapes() throws {
        let result = try patch(configMap, """
        [{"op":"replace","path":"/metadata/labels/app.kubernetes.io~1name","value":"cart"},
         {"op":"add","path":"/metadata/annotations","value":{}},
         {"op":"add","path":"/metadata/annotations/a~0b~1c","value":"v"}]
        """)
        #expect(result[path: ["metadata", "labels", "app.kubernetes.io/name"]] == .string("cart"))
        #expect(result[path: ["metadata", "annotations", "a~b/c"]] == .string("v"))
        // ~01 means the literal "~1", not "/": ~1 is undone before ~0.
        #expect(try JSONPointer("/a~01b").tokens == ["a~1b"])
    }

    @Test("array add by index, append with -, remove by index, negative index")
    func arrays() throws {
        let doc = #"{"spec":{"containers":[{"name":"a"},{"name":"b"}]}}"#
        let result = try patch(doc, """
        [{"op":"add","path":"/spec/containers/1","value":{"name":"mid"}},
         {"op":"add","path":"/spec/containers/-","value":{"name":"last"}},
         {"op":"remove","path":"/spec/containers/0"},
         {"op":"replace","path":"/spec/containers/-1/name","value":"end"}]
        """)
        let names = result[path: ["spec", "containers"]]?.array?.compactMap { $0["name"]?.string }
        #expect(names == ["mid", "b", "end"])
    }

    @Test("move and copy")
    func moveAndCopy() throws {
        let result = try patch(configMap, """
        [{"op":"copy","from":"/data/mode","path":"/data/mode2"},
         {"op":"move","from":"/data/x","path":"/metadata/annotations"}]
        """)
        #expect(result["data"] == (try json(#"{"mode":"prod","mode2":"prod"}"#)))
        #expect(result[path: ["metadata", "annotations"]] == .string("1"))
    }

    @Test("test passes on equal values, numbers compared by value")
    func testPasses() throws {
        let result = try patch(#"{"spec":{"replicas":3,"paused":false}}"#, """
        [{"op":"test","path":"/spec/replicas","value":3.0},
         {"op":"test","path":"/spec","value":{"paused":false,"replicas":3}},
         {"op":"replace","path":"/spec/replicas","value":5}]
        """)
        #expect(result[path: ["spec", "replicas"]] == .integer(5))
    }

    @Test("a failing test rejects the patch with kube-apiserver's message")
    func testFails() throws {
        let error = try failure(configMap, """
        [{"op":"replace","path":"/data/mode","value":"dev"},
         {"op":"test","path":"/data/x","value":"2"}]
        """)
        #expect(error.message == "testing value /data/x failed: test failed")
        #expect(error.code == 422)
    }

    @Test("testing a missing member for null passes, as in json-patch v4")
    func testMissingIsNull() throws {
        _ = try patch(configMap, #"[{"op":"test","path":"/data/absent","value":null}]"#)
        let error = try failure(configMap, #"[{"op":"test","path":"/data/absent","value":"a"}]"#)
        #expect(error.message == "testing value /data/absent failed: test failed")
    }

    @Test("missing paths and keys")
    func missing() throws {
        #expect(try failure(configMap, #"[{"op":"add","path":"/spec/x","value":1}]"#).message
            == #"add operation does not apply: doc is missing path: "/spec/x": missing value"#)
        #expect(try failure(configMap, #"[{"op":"remove","path":"/data/nope"}]"#).message
            == "error in remove for path: '/data/nope': Unable to remove nonexistent key: nope: missing value")
        #expect(try failure(configMap, #"[{"op":"replace","path":"/data/nope","value":"v"}]"#).message
            == "replace operation does not apply: doc is missing key: /data/nope: missing value")
        #expect(try failure(configMap, #"[{"op":"replace","path":"/nope/x","value":"v"}]"#).message
            == "replace operation does not apply: doc is missing path: /nope/x: missing value")
        #expect(try failure(configMap, #"[{"op":"move","from":"/data/nope","path":"/data/y"}]"#).message
            .contains("doc is missing from path: /data/nope"))
        #expect(try failure(#"{"a":[1,2]}"#, #"[{"op":"add","path":"/a/5","value":3}]"#).message
            == "error in add for path: '/a/5': Unable to access invalid index: 5: invalid index referenced")
    }

    @Test("malformed operations")
    func malformed() throws {
        let notArray = try failure(configMap, #"{"op":"add"}"#)
        #expect(notArray.code == 400)
        #expect(try failure(configMap, #"[{"op":"frob","path":"/data"}]"#).message == "Unexpected kind: frob")
        #expect(try failure(configMap, #"[{"op":"remove"}]"#).message
            == "remove operation failed to decode path: operation missing path field: missing value")
        #expect(try failure(configMap, #"[{"op":"move","from":"/metadata","path":"/metadata/labels/x"}]"#)
            .message.contains("is a child of from path /metadata"))
    }

    @Test("the empty pointer is the whole document")
    func root() throws {
        let result = try patch(configMap, #"[{"op":"replace","path":"","value":{"kind":"Secret"}}]"#)
        #expect(result == .object(["kind": .string("Secret")]))
    }
}
