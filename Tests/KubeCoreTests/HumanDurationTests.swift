import Foundation
import Testing
@testable import KubeCore

/// Cases from k8s.io/apimachinery/pkg/util/duration's TestHumanDuration, plus the boundaries.
struct HumanDurationTests {
    @Test(arguments: [
        (1.0, "1s"), (70, "70s"), (190, "3m10s"), (70 * 60, "70m"), (47 * 3600, "47h"), (49 * 3600, "2d1h"),
        (Double(8 * 24 + 2) * 3600, "8d"), (Double(367 * 24) * 3600, "367d"), (Double(365 * 2 * 24 + 25) * 3600, "2y1d"),
        (Double(365 * 8 * 24 + 2) * 3600, "8y"),
    ] as [(Double, String)])
    func apimachineryCases(seconds: Double, expected: String) {
        #expect(HumanDuration.format(seconds) == expected)
    }

    @Test func boundaries() {
        #expect(HumanDuration.format(0) == "0s")
        #expect(HumanDuration.format(-1) == "0s")
        #expect(HumanDuration.format(-1.5) == "0s")
        #expect(HumanDuration.format(-2) == "<invalid>")
        #expect(HumanDuration.format(119.9) == "119s")
        #expect(HumanDuration.format(120) == "2m")
        #expect(HumanDuration.format(303) == "5m3s")
        #expect(HumanDuration.format(600) == "10m")
        #expect(HumanDuration.format(3 * 3600) == "3h")
        #expect(HumanDuration.format(5 * 3600 + 180) == "5h3m")
        #expect(HumanDuration.format(48 * 3600) == "2d")
    }

    @Test func sinceTimestamp() {
        let now = KubeTime.parse("2025-01-01T00:05:00Z")!
        #expect(HumanDuration.since("2025-01-01T00:00:00Z", now: now) == "5m")
        #expect(HumanDuration.since("2025-01-01T00:04:59.500000Z", now: now) == "0s")
        #expect(HumanDuration.since(nil, now: now) == "<unknown>")
        #expect(HumanDuration.since("garbage", now: now) == "<unknown>")
    }
}
