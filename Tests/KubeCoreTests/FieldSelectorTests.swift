import Foundation
import Testing
@testable import KubeCore

/// Parses JSON text written in a test.
private func json(_ text: String) throws -> JSONValue {
    try JSONValue(parsing: Data(text.utf8))
}

/// The message a selector that should not parse is rejected with.
private func parseError(_ text: String) -> String? {
    do {
        _ = try FieldSelector(parsing: text)
        return nil
    } catch {
        return error.message
    }
}

private let runningPod = """
{"kind":"Pod","metadata":{"name":"web-1","namespace":"shop"},
 "spec":{"nodeName":"node-a","hostNetwork":true,"priority":100},"status":{"phase":"Running"}}
"""
private let pendingPod = """
{"kind":"Pod","metadata":{"name":"web-2","namespace":"shop"},"spec":{},"status":{"phase":"Pending"}}
"""

@Suite("Field selectors")
struct FieldSelectorTests {
    @Test("selectors kubectl and controllers send", arguments: [
        ("metadata.name=web-1", true, false),
        ("metadata.name==web-1", true, false),
        ("metadata.name!=web-1", false, true),
        ("status.phase=Running,metadata.namespace=shop", true, false),
        ("spec.nodeName=", false, true), // the scheduler's unassigned-pods watch
        ("spec.nodeName!=", true, false),
        ("spec.hostNetwork=true", true, false),
        ("spec.priority=100", true, false),
        ("status.phase!=Succeeded,status.phase!=Failed", true, true), // kubelet and kubectl top
        ("", true, true),
    ])
    func matching(selector: String, matchesRunning: Bool, matchesPending: Bool) throws {
        let parsed = try FieldSelector(parsing: selector)
        #expect(parsed.matches(try json(runningPod)) == matchesRunning)
        #expect(parsed.matches(try json(pendingPod)) == matchesPending)
    }

    @Test("requirements list the fields used, sorted, for the caller to check")
    func requirements() throws {
        let selector = try FieldSelector(parsing: "type=kubernetes.io/tls,metadata.namespace!=kube-system")
        #expect(selector.requirements.map(\.field) == ["metadata.namespace", "type"])
        #expect(selector.requirements.map(\.op) == [.notEquals, .equals])
        #expect(selector.requiresExactMatch("type") == "kubernetes.io/tls")
        #expect(selector.requiresExactMatch("metadata.namespace") == nil)
        #expect(selector.description == "metadata.namespace!=kube-system,type=kubernetes.io/tls")
        #expect(selector.matches(try json(#"{"kind":"Secret","metadata":{"namespace":"app"},"type":"kubernetes.io/tls"}"#)))
    }

    @Test("escaped commas and equals signs in values")
    func escapes() throws {
        let selector = try FieldSelector(parsing: #"metadata.name=a\,b\=c\\d"#)
        #expect(selector.requirements.first?.value == #"a,b=c\d"#)
        #expect(selector.matches(["metadata.name": #"a,b=c\d"#]))
        #expect(selector.description == #"metadata.name=a\,b\=c\\d"#)
        #expect(FieldSelector.escape("x=y") == #"x\=y"#)
    }

    @Test("a field map for computed fields; missing reads as empty")
    func fieldMap() throws {
        let selector = try FieldSelector(parsing: "source=kubelet,reason=")
        #expect(selector.matches(["source": "kubelet"]))
        #expect(!selector.matches(["source": "kubelet", "reason": "Started"]))
    }

    @Test("errors use apimachinery's messages")
    func errors() {
        #expect(parseError("metadata.name") == "invalid selector: 'metadata.name'; can't understand 'metadata.name'")
        #expect(parseError("a=b=c") == "invalid field selector: unescaped character in value: 61")
        #expect(parseError(#"a=b\x"#) == #"invalid field selector: invalid escape sequence: \x"#)
        #expect(parseError(#"a=b\"#) == #"invalid field selector: invalid escape sequence: \"#)
    }

    @Test("no whitespace trimming, as in kube")
    func whitespace() throws {
        let selector = try FieldSelector(parsing: "metadata.name = web-1")
        #expect(selector.requirements.first?.field == "metadata.name ")
        #expect(!selector.matches(try json(runningPod)))
    }
}
