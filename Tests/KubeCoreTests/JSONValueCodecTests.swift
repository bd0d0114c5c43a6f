import Foundation
import Testing
@testable import KubeCore

/// JSONValue's own parser and writer, checked against Foundation's: the writer must produce
/// `JSONEncoder`'s bytes (stored values must not change), and the parser must read what
/// `JSONSerialization` reads, into the same values.
@Suite struct JSONValueCodecTests {
    /// A deterministic generator, so a failure can be replayed.
    struct SplitMix: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    static let alphabet: [String] = ["a", "B", "z", "_", "/", "\"", "\\", "\n", "\t", "\u{1}", "\u{1f}", "\u{7f}",
                                     "é", "😀", "\u{2028}", " ", "0", "9", "-", ".", "k8s.io/", "\r", "\u{8}", "\u{c}"]

    static func randomString(_ rng: inout SplitMix) -> String {
        (0..<Int.random(in: 0...8, using: &rng)).map { _ in alphabet.randomElement(using: &rng)! }.joined()
    }

    static func randomValue(_ rng: inout SplitMix, depth: Int = 0) -> JSONValue {
        switch Int.random(in: 0..<(depth > 3 ? 5 : 7), using: &rng) {
        case 0: return .null
        case 1: return .bool(Bool.random(using: &rng))
        case 2: return .integer([0, 1, -1, Int.max, Int.min, Int.random(in: -100_000...100_000, using: &rng)].randomElement(using: &rng)!)
        case 3:
            return .number([0.5, -0.25, 1e20, 1.5e-7, 0.1, 1e300, 123456789.125, 1e-5, 3.14159,
                            Double.random(in: -1e6...1e6, using: &rng)].randomElement(using: &rng)!)
        case 4: return .string(randomString(&rng))
        case 5: return .array((0..<Int.random(in: 0...4, using: &rng)).map { _ in randomValue(&rng, depth: depth + 1) })
        default:
            var members: [String: JSONValue] = [:]
            for _ in 0..<Int.random(in: 0...5, using: &rng) { members[randomString(&rng)] = randomValue(&rng, depth: depth + 1) }
            return .object(members)
        }
    }

    static func foundationBytes(_ value: JSONValue) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(value)
    }

    @Test func writerMatchesJSONEncoderByteForByte() throws {
        var rng = SplitMix(state: 13)
        for _ in 0..<2_000 {
            let value = Self.randomValue(&rng)
            let ours = try value.encoded()
            let theirs = try Self.foundationBytes(value)
            #expect(ours == theirs, "\(String(decoding: theirs, as: UTF8.self))")
        }
    }

    @Test func parserReadsWhatTheWriterWrites() throws {
        var rng = SplitMix(state: 7)
        for _ in 0..<2_000 {
            let value = Self.randomValue(&rng)
            let parsed = try JSONValue(parsing: try value.encoded())
            #expect(parsed.isEquivalent(to: value), "\(value)")
        }
    }

    @Test func parserAgreesWithJSONSerialization() throws {
        let texts = [
            #"{"a": [1, 2.5, -0, 1e3, 1E-2, 12345678901234567890, true, false, null], "b": {}}"#,
            #" [ "\u00e9\ud83d\ude00\/\b\f\n\r\t\"\\" , "" ] "#,
            "\u{FEFF}{\"k\":\"v\"}", "42", "\"x\"", "null", "-12.75e+2", #"{"a":1,"a":2}"#,
        ]
        for text in texts {
            let ours = try JSONValue(parsing: Data(text.utf8))
            let object = try JSONSerialization.jsonObject(with: Data(text.utf8), options: [.fragmentsAllowed])
            let theirs = try JSONValue(parsing: JSONSerialization.data(withJSONObject: object, options: [.fragmentsAllowed]))
            #expect(ours.isEquivalent(to: theirs), "\(text)")
        }
        #expect(try JSONValue(parsing: Data("7".utf8)) == .integer(7))
        #expect(try JSONValue(parsing: Data("7.0".utf8)) == .number(7))
        #expect(try JSONValue(parsing: Data("1e2".utf8)) == .number(100))
    }

    @Test(arguments: [
        ("", "unexpected end of JSON input"),
        ("{", "unexpected end of JSON input"),
        ("bogus", "invalid character 'b' looking for beginning of value"),
        ("{\"a\" 1}", "invalid character '1' after object key"),
        ("{\"a\":1 \"b\":2}", "invalid character '\"' after object key:value pair"),
        ("{1:2}", "invalid character '1' looking for beginning of object key string"),
        ("[1 2]", "invalid character '2' after array element"),
        ("{} x", "invalid character 'x' after top-level value"),
        ("01", "invalid character '1' after top-level value"),
        ("\"a\u{1}\"", "invalid character '\\x01' in string literal"),
        ("\"\\q\"", "invalid character 'q' in string escape code"),
        ("1.", "unexpected end of JSON input"),
        ("1.x", "invalid character 'x' after decimal point in numeric literal"),
        ("tru", "unexpected end of JSON input"),
        ("trUe", "invalid character 'U' in literal true (expecting 'u')"),
    ])
    func errorsReadAsGoWritesThem(text: String, message: String) {
        #expect(throws: (any Error).self) { try JSONValue(parsing: Data(text.utf8)) }
        do {
            _ = try JSONValue(parsing: Data(text.utf8))
        } catch {
            #expect("\(error)" == message)
        }
    }

    @Test func invalidUTF8AndDepthAreRefused() {
        #expect(throws: JSONValueParseError.invalidUTF8) { try JSONValue(parsing: [0x22, 0xFF, 0x22]) }
        let deep = String(repeating: "[", count: JSONValueParser.maxDepth + 1)
        #expect(throws: JSONValueParseError.tooDeep) { try JSONValue(parsing: Data(deep.utf8)) }
    }

    @Test func nonFiniteNumbersAreRefused() {
        #expect(throws: JSONValueWriteError.self) { try JSONValue.number(.nan).encoded() }
        #expect(throws: JSONValueWriteError.self) { try JSONValue.array([.number(.infinity)]).encoded() }
    }
}
