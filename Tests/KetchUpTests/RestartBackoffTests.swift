import Testing
@testable import KetchUp

@Suite struct RestartBackoffTests {
    @Test func doublesUpToTheMaximum() {
        let policy = RestartBackoff.standard
        var delays: [Duration] = []
        var previous: Duration?
        for _ in 0..<7 {
            let next = policy.delay(after: .milliseconds(200), previous: previous)
            delays.append(next)
            previous = next
        }
        #expect(delays == [.seconds(1), .seconds(2), .seconds(4), .seconds(8), .seconds(10), .seconds(10), .seconds(10)])
    }

    @Test func aHealthyRunStartsOver() {
        let policy = RestartBackoff.standard
        #expect(policy.delay(after: .seconds(10), previous: .seconds(8)) == .seconds(1))
        #expect(policy.delay(after: .seconds(60), previous: .seconds(10)) == .seconds(1))
        #expect(policy.delay(after: .milliseconds(9_999), previous: .seconds(8)) == .seconds(10))
    }

    @Test func secondsAsPeopleReadThem() {
        #expect(Duration.seconds(2).secondsText == "2s")
        #expect(Duration.milliseconds(840).secondsText == "0.84s")
        #expect(Duration.seconds(60).secondsText == "60s")
    }
}
