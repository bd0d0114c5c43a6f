import Testing
@testable import KetchCtl

/// Go's formatting as etcdctl's printers use it.
@Suite struct GoFormatTests {
    @Test func hexForms() {
        #expect(GoFormat.hex(0xbdae9bbc11dd390d) == "bdae9bbc11dd390d")
        #expect(GoFormat.hex16(0x2b) == "000000000000002b")
        #expect(GoFormat.hexEscaped(Array("a\n".utf8)) == #"\x61\x0a"#)
    }

    @Test func durations() {
        #expect(GoFormat.duration(.zero) == "0s")
        #expect(GoFormat.duration(nanoseconds: 999) == "999ns")
        #expect(GoFormat.duration(.microseconds(1500)) == "1.5ms")
        #expect(GoFormat.duration(.milliseconds(1234)) == "1.234s")
        #expect(GoFormat.duration(.seconds(3723)) == "1h2m3s")
        #expect(GoFormat.duration(.seconds(60)) == "1m0s")
        #expect(GoFormat.duration(nanoseconds: -1500) == "-1.5µs")
    }

    @Test func humanBytes() {
        #expect(GoFormat.humanBytes(9) == "9 B")
        #expect(GoFormat.humanBytes(20480) == "20 kB")
        #expect(GoFormat.humanBytes(1_234_567) == "1.2 MB")
    }

    @Test func jsonIsGoEncodingJSON() {
        let value = GoJSON.object([
            ("s", .string("<a&b>\"\\\n\u{01}\u{2028}é")), ("i", .int(-1)), ("u", .uint(UInt64.max)), ("b", .bool(false)),
            ("n", .null), ("a", .array([.bytes([0, 1, 2])])),
        ])
        #expect(value.text == #"{"s":"\u003ca\u0026b\u003e\"\\\n\u0001\u2028é","i":-1,"u":18446744073709551615,"b":false,"#
            + #""n":null,"a":["AAEC"]}"#)
    }

    @Test func omitEmpty() {
        var o = GoJSONObject()
        o.omitEmpty("zero", int: 0)
        o.omitEmpty("one", int: 1)
        o.omitEmpty("no", bool: false)
        o.omitEmpty("empty", string: "")
        o.omitEmpty("none", array: [])
        o.omitEmpty("bytes", bytes: [0x66])
        #expect(o.json.text == #"{"one":1,"bytes":"Zg=="}"#)
    }

    @Test func table() {
        #expect(GoTable.render(header: ["id", "name"], rows: [["1", "long name"]]) == """
            +----+-----------+
            | ID |   NAME    |
            +----+-----------+
            |  1 | long name |
            +----+-----------+\n
            """)
        #expect(GoTable.render(header: ["a"], rows: []) == "+---+\n| A |\n+---+\n")
    }
}
