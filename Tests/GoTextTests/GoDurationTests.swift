import Testing
import GoText

@Suite struct GoDurationTests {
    @Test func unitsAndSums() {
        #expect(GoDuration.parse("5s") == .seconds(5))
        #expect(GoDuration.parse("10m") == .seconds(600))
        #expect(GoDuration.parse("1h30m") == .seconds(5400))
        #expect(GoDuration.parse("250ms") == .milliseconds(250))
        #expect(GoDuration.parse("1.5s") == .milliseconds(1500))
        #expect(GoDuration.parse("3us") == .microseconds(3))
        #expect(GoDuration.parse("3µs") == .microseconds(3))
        #expect(GoDuration.parse("7ns") == .nanoseconds(7))
        #expect(GoDuration.parse("1m500ms") == .milliseconds(60_500))
    }

    @Test func zeroNeedsNoUnitButOtherNumbersDo() {
        #expect(GoDuration.parse("0") == .zero)
        #expect(GoDuration.parse("5") == nil)
        #expect(GoDuration.parse("0.5") == nil)
    }

    @Test func refusesWhatGoRefuses() {
        for bad in ["5x", "s", "1h-2m", "ten seconds", "5 s", "1d"] {
            #expect(GoDuration.parse(bad) == nil, "\(bad)")
        }
    }
}
