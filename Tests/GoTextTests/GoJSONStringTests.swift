import Testing
import GoText

@Suite struct GoJSONStringTests {
    @Test func escapesAsEncodingJSON() {
        #expect(GoJSONString.quoted("plain é") == #""plain é""#)
        #expect(GoJSONString.quoted("\"\\\n\r\t") == #""\"\\\n\r\t""#)
        #expect(GoJSONString.quoted("\u{01}\u{1F}") == #""\u0001\u001f""#)
    }

    @Test func htmlSafe() {
        #expect(GoJSONString.quoted("<a href=\"x\">&</a>") == #""\u003ca href=\"x\"\u003e\u0026\u003c/a\u003e""#)
        #expect(GoJSONString.quoted("\u{2028}\u{2029}") == #""\u2028\u2029""#)
    }

    @Test func appendsToWhatIsThere() {
        var out = "k:"
        GoJSONString.append("v", to: &out)
        #expect(out == #"k:"v""#)
    }
}
