import Foundation
import KetchControllers
import KubeCore
import Testing

@Suite struct CronScheduleTests {
    func at(_ text: String) -> Date { KubeTime.parse(text)! }

    /// The next activation of `spec` after `time`, as RFC 3339 in UTC.
    func next(_ spec: String, after time: String) throws -> String? {
        try CronSchedule(parsing: spec).next(after: at(time)).map { KubeTime.rfc3339($0) }
    }

    @Test func plainFieldsInUTC() throws {
        #expect(try next("0 * * * *", after: "2025-01-01T10:30:00Z") == "2025-01-01T11:00:00Z")
        #expect(try next("0 * * * *", after: "2025-01-01T11:00:00Z") == "2025-01-01T12:00:00Z")
        #expect(try next("30 9 * * 1-5", after: "2025-01-03T10:00:00Z") == "2025-01-06T09:30:00Z")
        #expect(try next("0 0 29 2 *", after: "2025-03-01T00:00:00Z") == "2028-02-29T00:00:00Z")
        #expect(try next("59 23 31 12 *", after: "2025-06-01T00:00:00Z") == "2025-12-31T23:59:00Z")
    }

    @Test func stepsListsRangesAndNames() throws {
        #expect(try next("*/15 * * * *", after: "2025-01-01T10:07:30Z") == "2025-01-01T10:15:00Z")
        #expect(try next("5/20 * * * *", after: "2025-01-01T10:26:00Z") == "2025-01-01T10:45:00Z")
        #expect(try next("0 12 * jan,jul sun", after: "2025-01-01T00:00:00Z") == "2025-01-05T12:00:00Z")
        #expect(try next("0 22 * * MON-fri", after: "2025-01-04T00:00:00Z") == "2025-01-06T22:00:00Z")
        #expect(try next("0 0 1 */3 *", after: "2025-02-01T00:00:00Z") == "2025-04-01T00:00:00Z")
        #expect(try next("10,40 8-9 * * *", after: "2025-01-01T08:41:00Z") == "2025-01-01T09:10:00Z")
    }

    @Test func dayOfMonthOrDayOfWeekWhenBothAreRestricted() throws {
        // The 13th or any Friday: January 2025 has Fridays on the 3rd and 10th, the 13th a Monday.
        #expect(try next("0 0 13 * 5", after: "2024-12-31T00:00:00Z") == "2025-01-03T00:00:00Z")
        #expect(try next("0 0 13 * 5", after: "2025-01-10T00:00:00Z") == "2025-01-13T00:00:00Z")
        #expect(try next("0 0 13 * 5", after: "2025-01-13T00:00:00Z") == "2025-01-17T00:00:00Z")
        // With either field a star, both must hold.
        #expect(try next("0 0 * * 5", after: "2025-01-03T00:00:00Z") == "2025-01-10T00:00:00Z")
        #expect(try next("0 0 13 * *", after: "2025-01-03T00:00:00Z") == "2025-01-13T00:00:00Z")
        #expect(try next("0 0 13 * ?", after: "2025-01-03T00:00:00Z") == "2025-01-13T00:00:00Z")
    }

    @Test func descriptors() throws {
        #expect(try next("@hourly", after: "2025-01-01T10:30:00Z") == "2025-01-01T11:00:00Z")
        #expect(try next("@daily", after: "2025-01-01T10:30:00Z") == "2025-01-02T00:00:00Z")
        #expect(try next("@midnight", after: "2025-01-01T10:30:00Z") == "2025-01-02T00:00:00Z")
        #expect(try next("@weekly", after: "2025-01-01T10:30:00Z") == "2025-01-05T00:00:00Z")
        #expect(try next("@monthly", after: "2025-01-01T10:30:00Z") == "2025-02-01T00:00:00Z")
        #expect(try next("@yearly", after: "2025-01-01T10:30:00Z") == "2026-01-01T00:00:00Z")
        #expect(try next("@annually", after: "2025-01-01T10:30:00Z") == "2026-01-01T00:00:00Z")
        let every = try CronSchedule(parsing: "@every 1m30s")
        #expect(every.next(after: at("2025-01-01T10:00:00.5Z")) == at("2025-01-01T10:01:30Z"))
    }

    @Test func timeZonePrefixes() throws {
        #expect(try next("CRON_TZ=Asia/Tokyo 0 9 * * *", after: "2024-12-31T12:00:00Z") == "2025-01-01T00:00:00Z")
        #expect(try next("TZ=America/New_York 0 9 * * *", after: "2025-01-01T00:00:00Z") == "2025-01-01T14:00:00Z")
        #expect(try CronSchedule(parsing: "TZ=UTC @daily").timeZone == CronTimeZone.utc)
    }

    @Test func scheduleThatNeverFires() throws {
        #expect(try next("0 0 30 2 *", after: "2025-01-01T00:00:00Z") == nil)
    }

    @Test(arguments: [
        ("", "empty spec string"),
        ("* * * *", "expected exactly 5 fields, found 4: [* * * *]"),
        ("* * * * * *", "expected exactly 5 fields, found 6: [* * * * * *]"),
        ("60 * * * *", "end of range (60) above maximum (59): 60"),
        ("* * * * 7", "end of range (7) above maximum (6): 7"),
        ("0 0 0 * *", "beginning of range (0) below minimum (1): 0"),
        ("5-2 * * * *", "beginning of range (5) beyond end of range (2): 5-2"),
        ("1-2-3 * * * *", "too many hyphens: 1-2-3"),
        ("*/2/3 * * * *", "too many slashes: */2/3"),
        ("*/0 * * * *", "step of range should be a positive number: */0"),
        ("x * * * *", "failed to parse int from x: strconv.Atoi: parsing \"x\": invalid syntax"),
        ("@fortnightly", "unrecognized descriptor: @fortnightly"),
        ("@every soon", "failed to parse duration @every soon: time: invalid duration \"soon\""),
        ("TZ=Mars/Olympus * * * * *", "provided bad location Mars/Olympus: unknown time zone Mars/Olympus"),
    ])
    func refusals(spec: String, message: String) {
        #expect(throws: CronScheduleError.self) { try CronSchedule(parsing: spec) }
        do {
            _ = try CronSchedule(parsing: spec)
        } catch {
            #expect(error.description == message)
        }
    }

    @Test func goTimeTexts() {
        let tokyo = CronTimeZone.load("Asia/Tokyo")!
        #expect(CronTimeZone.rfc3339(at("2025-01-01T00:00:00Z"), in: tokyo) == "2025-01-01T09:00:00+09:00")
        #expect(CronTimeZone.rfc3339(at("2025-01-01T00:00:00Z"), in: CronTimeZone.load("America/New_York")!)
            == "2024-12-31T19:00:00-05:00")
        #expect(CronTimeZone.rfc3339(at("2025-01-01T00:00:00Z"), in: CronTimeZone.utc) == "2025-01-01T00:00:00Z")
        #expect(CronTimeZone.rfc1123Z(at("2025-01-03T10:00:00Z")) == "Fri, 03 Jan 2025 10:00:00 +0000")
        #expect(CronTimeZone.load("") == CronTimeZone.utc)
        #expect(CronTimeZone.load("Nowhere/Special") == nil)
    }
}
