import KetchControllers
import Testing

@Suite struct JobCompletionIntervalsTests {
    @Test func formatsRunsAsUpstreamDoes() {
        #expect(CompletionIntervals().adding([0, 1, 2, 4, 6, 7]).description == "0-2,4,6,7")
        #expect(CompletionIntervals().adding([3]).description == "3")
        #expect(CompletionIntervals().description == "")
    }

    @Test func parsesAndClipsToCompletions() {
        let parsed = CompletionIntervals(parsing: "0-2,4,6,7,9-12", completions: 11)
        #expect(parsed.description == "0-2,4,6,7,9,10")
        #expect(parsed.total == 8)
        #expect(parsed.contains(4))
        #expect(!parsed.contains(5))
        #expect(CompletionIntervals(parsing: "1,x,3", completions: 5).description == "1,3")
    }

    @Test func addingMergesAdjacentIndexes() {
        let base = CompletionIntervals(parsing: "0,1,5", completions: 10)
        #expect(base.adding([2, 4]).description == "0-2,4,5")
        #expect(base.adding([3]).description == "0,1,3,5")
        #expect(base.adding([2, 3, 4]).total == 6)
    }

    @Test func firstPendingSkipsSucceededAndActive() {
        let done = CompletionIntervals(parsing: "0,3", completions: 6)
        #expect(done.firstPending(count: 2, completions: 6, active: [1]) == [2, 4])
        #expect(done.firstPending(count: 10, completions: 6, active: [1]) == [2, 4, 5])
        #expect(done.firstPending(count: 0, completions: 6, active: []) == [])
    }
}
