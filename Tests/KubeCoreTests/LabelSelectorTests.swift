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
        _ = try LabelSelector(parsing: text)
        return nil
    } catch {
        return error.message
    }
}

private let web: [String: String] = ["app": "web", "tier": "frontend", "replicas": "3"]
private let db: [String: String] = ["app": "db", "tier": "backend", "canary": ""]

@Suite("Label selectors")
struct LabelSelectorTests {
    @Test("each operator", arguments: [
        ("app=web", true, false),
        ("app==web", true, false),
        ("app!=web", false, true),
        ("tier in (frontend,cache)", true, false),
        ("tier notin (frontend)", false, true),
        ("canary", false, true),
        ("!canary", true, false),
        ("replicas>2", true, false),
        ("replicas<3", false, false), // db has no replicas label: never matches gt/lt
        ("missing notin (x)", true, true),
        ("missing!=x", true, true),
        ("canary=", false, true), // empty value
        ("canary in ()", false, true), // () is the set {""}
    ])
    func operators(selector: String, matchesWeb: Bool, matchesDB: Bool) throws {
        let parsed = try LabelSelector(parsing: selector)
        #expect(parsed.matches(web) == matchesWeb)
        #expect(parsed.matches(db) == matchesDB)
    }

    @Test("commas AND requirements; whitespace between tokens is ignored")
    func conjunctionAndWhitespace() throws {
        let selector = try LabelSelector(parsing: "  app = web ,tier  in ( frontend , cache ) , !canary ")
        #expect(selector.requirements.count == 3)
        #expect(selector.matches(web))
        #expect(!selector.matches(web.merging(["canary": "1"]) { $1 }))
        #expect(!selector.matches(web.merging(["tier": "backend"]) { $1 }))
    }

    @Test("the empty selector matches everything")
    func empty() throws {
        let selector = try LabelSelector(parsing: " ")
        #expect(selector.isEverything)
        #expect(selector.matches([:]))
        #expect(LabelSelector.everything.matches(db))
        #expect(!LabelSelector.nothing.matches([:]))
    }

    @Test("requirements print sorted by key, values sorted")
    func description() throws {
        let selector = try LabelSelector(parsing: "tier notin (z,a),app=web,!canary,x>1")
        #expect(selector.description == "app=web,!canary,tier notin (a,z),x>1")
    }

    @Test("in and notin are plain identifiers where a key or value is expected")
    func keywordsAsIdentifiers() throws {
        #expect(try LabelSelector(parsing: "in=notin").matches(["in": "notin"]))
        #expect(try LabelSelector(parsing: "mode in (in,notin)").matches(["mode": "notin"]))
    }

    @Test("labels under metadata.labels of an object")
    func objectLabels() throws {
        let pod = try json(#"{"metadata":{"name":"p","labels":{"app":"web"}}}"#)
        #expect(try LabelSelector(parsing: "app=web").matches(object: pod))
        #expect(try LabelSelector(parsing: "!app").matches(object: try json(#"{"metadata":{"name":"p"}}"#)))
    }

    @Test("syntax errors use apimachinery's messages")
    func syntaxErrors() {
        #expect(parseError("app in (a") == "unable to parse requirement: found '', expected: ',' or ')'")
        #expect(parseError("app=web,") == "found '', expected: identifier after ','")
        #expect(parseError("=web") == "found '=', expected: !, identifier, or 'end of string'")
        #expect(parseError("app web") == "unable to parse requirement: found 'web', expected: in, notin, =, ==, !=, gt, lt")
        #expect(parseError("app in x") == "unable to parse requirement: found 'x' expected: '('")
        #expect(parseError("!app=x") == "found '=', expected: ',' or 'end of string'")
        #expect(parseError("app=a b") == "found 'b', expected: ',' or 'end of string'")
    }

    @Test("keys and values are validated")
    func validation() throws {
        #expect(parseError("-bad=x")?.hasPrefix("unable to parse requirement: <nil>: Invalid value: \"-bad\": name part must consist of") == true)
        #expect(parseError("Example.com/app=x")?.contains("prefix part a lowercase RFC 1123 subdomain") == true)
        #expect(parseError("x>one") == "unable to parse requirement: values[0]: Invalid value: \"one\": for 'Gt', 'Lt' operators, the value must be an integer")
        #expect(parseError("app=-x")?.contains("a valid label must be an empty string or consist of") == true)
        #expect(parseError(String(repeating: "k", count: 64) + "=x")?.contains("name part must be no more than 63 characters") == true)
        #expect(try LabelSelector(parsing: "example.com/app=v_1.2-x").matches(["example.com/app": "v_1.2-x"]))
    }

    @Test("metav1.LabelSelector objects from specs")
    func fromJSON() throws {
        let selector = try LabelSelector(json: try json("""
        {"matchLabels":{"app":"web"},
         "matchExpressions":[{"key":"tier","operator":"In","values":["frontend","cache"]},
                             {"key":"canary","operator":"DoesNotExist"}]}
        """))
        #expect(selector.matches(web))
        #expect(!selector.matches(db))
        #expect(try LabelSelector(json: .object([:])).isEverything)
        #expect(!(try LabelSelector(json: .null)).matches(web))

        let badOperator = try json(#"{"matchExpressions":[{"key":"a","operator":"Foo"}]}"#)
        do {
            _ = try LabelSelector(json: badOperator)
            Issue.record("an unknown operator was accepted")
        } catch {
            #expect(error.message == #""Foo" is not a valid label selector operator"#)
        }
        let noValues = try json(#"{"matchExpressions":[{"key":"a","operator":"In","values":[]}]}"#)
        do {
            _ = try LabelSelector(json: noValues)
            Issue.record("In without values was accepted")
        } catch {
            #expect(error.message.contains("values set can't be empty"))
        }
    }
}
