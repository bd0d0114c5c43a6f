import Testing
@testable import KubeCore

@Suite("List options and resourceVersion")
struct ListOptionsTests {
    /// The message `ParseResourceVersion` fails `text` with, nil when it parses.
    private func parseError(_ text: String) -> String? {
        do {
            _ = try ResourceVersionParameter.parse(text)
            return nil
        } catch {
            return error.description
        }
    }

    @Test("resourceVersion parses as Go's strconv.ParseUint(s, 10, 64)")
    func resourceVersions() throws {
        #expect(try ResourceVersionParameter.parse("") == nil)
        #expect(try ResourceVersionParameter.parse("0") == nil)
        #expect(try ResourceVersionParameter.parse("42") == 42)
        #expect(try ResourceVersionParameter.parse("007") == 7)
        #expect(try ResourceVersionParameter.parse("18446744073709551615") == UInt64.max)
        #expect(parseError("abc") == #"resourceVersion: Invalid value: "abc": strconv.ParseUint: parsing "abc": invalid syntax"#)
        #expect(parseError("-1") == #"resourceVersion: Invalid value: "-1": strconv.ParseUint: parsing "-1": invalid syntax"#)
        #expect(parseError("+1") != nil)
        #expect(parseError("1_000") != nil)
        #expect(parseError("18446744073709551616")
                == #"resourceVersion: Invalid value: "18446744073709551616": strconv.ParseUint: parsing "18446744073709551616": value out of range"#)
        // Go gives up at the overflow, before it reaches the letter.
        #expect(parseError("99999999999999999999x")?.hasSuffix("value out of range") == true)
        #expect(parseError("1\n")?.contains(#""1\n""#) == true)
    }

    @Test("the status depends on the storage layer that reads it")
    func statuses() throws {
        let error = try #require(throws: FieldError.self) { try ResourceVersionParameter.parse("abc") }
        let cache = KubeStatus.resourceVersionRejected(error, by: .watchCache)
        #expect(cache.code == 422 && cache.reason == "Invalid" && cache.details == nil)
        #expect(cache.message == #"resourceVersion: Invalid value: "abc": strconv.ParseUint: parsing "abc": invalid syntax"#)
        let etcd = KubeStatus.resourceVersionRejected(error, by: .etcd)
        #expect(etcd.code == 400 && etcd.reason == "BadRequest")
        #expect(etcd.message == #"invalid resource version: resourceVersion: Invalid value: "abc": strconv.ParseUint: parsing "abc": invalid syntax"#)
    }

    @Test("which layer serves a list (shouldDelegateList)", arguments: [
        ("abc", "", 0, "", ResourceVersionParameter.Reader.watchCache),
        ("abc", "", 500, "", .etcd), // kubectl's paged list
        ("0", "", 500, "", .watchCache),
        ("abc", "Exact", 0, "", .etcd),
        ("abc", "NotOlderThan", 500, "", .watchCache),
        ("abc", "", 0, "token", .etcd),
    ])
    func listReader(rv: String, match: String, limit: Int, continueToken: String, expected: ResourceVersionParameter.Reader) {
        #expect(ResourceVersionParameter.listReader(resourceVersion: rv, match: match, limit: limit, continueToken: continueToken) == expected)
    }

    @Test("resourceVersionMatch rules for lists")
    func listRules() throws {
        #expect(ListOptionsValidation.check(.init(watch: false)) == nil)
        #expect(ListOptionsValidation.check(.init(watch: false, resourceVersion: "5", resourceVersionMatch: "Exact")) == nil)

        let missing = try #require(ListOptionsValidation.check(.init(watch: false, resourceVersionMatch: "NotOlderThan")))
        #expect(missing.code == 422 && missing.reason == "Invalid")
        #expect(missing.message == #"ListOptions.meta.k8s.io "" is invalid: resourceVersionMatch: Forbidden: resourceVersionMatch is forbidden unless resourceVersion is provided"#)
        #expect(missing.details == .object([
            "group": .string("meta.k8s.io"), "kind": .string("ListOptions"),
            "causes": .array([.object([
                "reason": .string("FieldValueForbidden"), "field": .string("resourceVersionMatch"),
                "message": .string("Forbidden: resourceVersionMatch is forbidden unless resourceVersion is provided"),
            ])]),
        ]))

        let bogus = try #require(ListOptionsValidation.check(.init(watch: false, resourceVersion: "1", resourceVersionMatch: "bogus")))
        #expect(bogus.message == #"ListOptions.meta.k8s.io "" is invalid: resourceVersionMatch: Unsupported value: "bogus": supported values: "Exact", "NotOlderThan", """#)

        let two = try #require(ListOptionsValidation.check(.init(watch: false, resourceVersionMatch: "bogus")))
        #expect(two.message == #"ListOptions.meta.k8s.io "" is invalid: [resourceVersionMatch: Forbidden: resourceVersionMatch is forbidden unless resourceVersion is provided, resourceVersionMatch: Unsupported value: "bogus": supported values: "Exact", "NotOlderThan", ""]"#)

        #expect(ListOptionsValidation.errors(.init(watch: false, resourceVersion: "0", resourceVersionMatch: "Exact")).map(\.description)
                == [#"resourceVersionMatch: Forbidden: resourceVersionMatch "exact" is forbidden for resourceVersion "0""#])
        #expect(ListOptionsValidation.errors(.init(watch: false, sendInitialEvents: true)).map(\.description)
                == ["sendInitialEvents: Forbidden: sendInitialEvents is forbidden for list"])
    }

    @Test("resourceVersionMatch rules for watches")
    func watchRules() {
        #expect(ListOptionsValidation.errors(.init(watch: true)).isEmpty)
        #expect(ListOptionsValidation.errors(.init(watch: true, resourceVersionMatch: "NotOlderThan", sendInitialEvents: true)).isEmpty)
        #expect(ListOptionsValidation.errors(.init(watch: true, resourceVersionMatch: "NotOlderThan")).map(\.description)
                == ["resourceVersionMatch: Forbidden: resourceVersionMatch is forbidden for watch unless sendInitialEvents is provided"])
        #expect(ListOptionsValidation.errors(.init(watch: true, sendInitialEvents: true)).map(\.description)
                == ["resourceVersionMatch: Forbidden: sendInitialEvents requires setting resourceVersionMatch to NotOlderThan"])
        #expect(ListOptionsValidation.errors(.init(watch: true, resourceVersionMatch: "Exact", sendInitialEvents: true)).map(\.description)
                == ["resourceVersionMatch: Forbidden: sendInitialEvents requires setting resourceVersionMatch to NotOlderThan",
                    #"resourceVersionMatch: Unsupported value: "Exact": supported values: "NotOlderThan""#])
    }

    @Test("Go's %q quoting")
    func quoting() {
        #expect(goQuoted("abc") == #""abc""#)
        #expect(goQuoted("a\"b\\c") == #""a\"b\\c""#)
        #expect(goQuoted("\u{00}\u{07}\r\n\t\u{7F}") == #""\x00\a\r\n\t\x7f""#)
        #expect(goQuoted("é☃ x") == "\"é☃ x\"")
        #expect(goQuoted("\u{200B}") == #""\u200b""#) // a format character: not printable
    }
}
