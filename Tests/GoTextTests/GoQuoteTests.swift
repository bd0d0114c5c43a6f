import GoText
import Testing

@Suite struct GoQuoteTests {
    @Test func escapesAsStrconvQuote() {
        #expect(GoQuote.quote("a\"b\\c") == #""a\"b\\c""#)
        #expect(GoQuote.quote("\u{07}\u{08}\u{0C}\n\r\t\u{0B}") == #""\a\b\f\n\r\t\v""#)
        #expect(GoQuote.quote("\u{01}\u{7F}") == #""\x01\x7f""#)
        #expect(GoQuote.quote("é☃") == "\"é☃\"")
        #expect(GoQuote.quote("\u{200B}\u{E000}\u{10FFFD}") == #""\u200b\ue000\U0010fffd""#)
    }

    @Test func invalidUTF8BytesStayBytes() {
        #expect(GoQuote.quote([0x61, 0xFF, 0xC0, 0x80, 0x62]) == #""a\xff\xc0\x80b""#)
        #expect(GoQuote.quote([0xE2, 0x98]) == #""\xe2\x98""#)
    }

    @Test func jsonStringsAreHTMLSafe() {
        #expect(GoJSONString.quoted("<a&b>\u{2028}\u{01}") == #""\u003ca\u0026b\u003e\u2028\u0001""#)
    }
}
