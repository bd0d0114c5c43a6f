import Foundation
import Testing
@testable import KubeCore

/// Parses JSON text written in a test.
private func json(_ text: String) throws -> JSONValue {
    try JSONValue(parsing: Data(text.utf8))
}

@Suite("JSON merge patch (RFC 7386)")
struct MergePatchTests {
    @Test("RFC 7386 appendix A cases", arguments: [
        (#"{"a":"b"}"#, #"{"a":"c"}"#, #"{"a":"c"}"#),
        (#"{"a":"b"}"#, #"{"b":"c"}"#, #"{"a":"b","b":"c"}"#),
        (#"{"a":"b"}"#, #"{"a":null}"#, #"{}"#),
        (#"{"a":"b","b":"c"}"#, #"{"a":null}"#, #"{"b":"c"}"#),
        (#"{"a":["b"]}"#, #"{"a":"c"}"#, #"{"a":"c"}"#),
        (#"{"a":"c"}"#, #"{"a":["b"]}"#, #"{"a":["b"]}"#),
        (#"{"a":{"b":"c"}}"#, #"{"a":{"b":"d","c":null}}"#, #"{"a":{"b":"d"}}"#),
        (#"{"a":[{"b":"c"}]}"#, #"{"a":[1]}"#, #"{"a":[1]}"#),
        (#"["a","b"]"#, #"["c","d"]"#, #"["c","d"]"#),
        (#"{"a":"b"}"#, #"["c"]"#, #"["c"]"#),
        (#"{"a":"foo"}"#, "null", "null"),
        (#"{"a":"foo"}"#, #""bar""#, #""bar""#),
        (#"{"e":null}"#, #"{"a":1}"#, #"{"a":1,"e":null}"#),
        (#"[1,2]"#, #"{"a":"b","c":null}"#, #"{"a":"b"}"#),
        (#"{}"#, #"{"a":{"bb":{"ccc":null}}}"#, #"{"a":{"bb":{}}}"#),
    ])
    func rfcExamples(target: String, patch: String, expected: String) throws {
        #expect(MergePatch.apply(try json(patch), to: try json(target)) == (try json(expected)))
    }

    @Test("ConfigMap data change and label removal, as kubectl patch --type=merge sends them")
    func configMap() throws {
        let doc = try json("""
        {"kind":"ConfigMap","metadata":{"name":"settings","labels":{"app":"shop","stale":"yes"}},
         "data":{"mode":"prod","keep":"1"}}
        """)
        let result = MergePatch.apply(try json("""
        {"metadata":{"labels":{"stale":null}},"data":{"mode":"dev","added":"2"}}
        """), to: doc)
        #expect(result[path: ["metadata", "labels"]] == .object(["app": .string("shop")]))
        #expect(result["data"] == (try json(#"{"mode":"dev","keep":"1","added":"2"}"#)))
        #expect(result[path: ["metadata", "name"]] == .string("settings"))
    }

    @Test("lists are replaced whole, unlike a strategic merge patch")
    func listsReplace() throws {
        let doc = try json(#"{"spec":{"containers":[{"name":"web","image":"nginx"},{"name":"log","image":"fluent"}]}}"#)
        let result = MergePatch.apply(try json(#"{"spec":{"containers":[{"name":"web","image":"nginx:2"}]}}"#), to: doc)
        #expect(result[path: ["spec", "containers"]]?.array?.count == 1)
    }
}
