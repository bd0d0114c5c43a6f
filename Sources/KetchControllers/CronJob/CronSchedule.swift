import Foundation
import GoText

/// A CronJob schedule as robfig/cron v3's `ParseStandard` reads it (the parser the cronjob
/// controller uses): five fields (minute, hour, day of month, month, day of week) with `*`,
/// `?`, lists, ranges, steps and month or weekday names; the descriptors `@yearly`,
/// `@annually`, `@monthly`, `@weekly`, `@daily`, `@midnight`, `@hourly` and `@every <duration>`;
/// and an optional `TZ=` or `CRON_TZ=` zone prefix.
public struct CronSchedule: Sendable, Equatable {
    /// The fields as bit sets: bit n set when value n matches; bit 63 marks a `*` or `?`.
    struct Fields: Sendable, Equatable {
        var second: UInt64
        var minute: UInt64
        var hour: UInt64
        var dayOfMonth: UInt64
        var month: UInt64
        var dayOfWeek: UInt64
    }

    /// A calendar rule, or a fixed period in whole seconds (`@every`).
    enum Rule: Sendable, Equatable {
        case fields(Fields)
        case every(Int)
    }

    let rule: Rule
    /// The zone of a `TZ=` prefix; nil means the zone the caller reads times in.
    public let timeZone: TimeZone?

    /// Parses `text`; the error messages are robfig/cron's.
    public init(parsing text: String) throws(CronScheduleError) {
        guard !text.isEmpty else { throw CronScheduleError("empty spec string") }
        var spec = Substring(text)
        var zone: TimeZone?
        if spec.hasPrefix("TZ=") || spec.hasPrefix("CRON_TZ=") {
            let equals = spec.firstIndex(of: "=")!
            let space = spec.firstIndex(of: " ") ?? spec.endIndex
            let name = String(spec[spec.index(after: equals)..<space])
            guard let loaded = CronTimeZone.load(name) else {
                throw CronScheduleError("provided bad location \(name): unknown time zone \(name)")
            }
            zone = loaded
            spec = spec[space...].drop(while: \.isWhitespace)
        }
        timeZone = zone
        if spec.hasPrefix("@") {
            rule = try Self.descriptor(String(spec))
            return
        }
        let fields = spec.split(whereSeparator: \.isWhitespace).map(String.init)
        guard fields.count == 5 else {
            throw CronScheduleError("expected exactly 5 fields, found \(fields.count): [\(fields.joined(separator: " "))]")
        }
        rule = .fields(Fields(second: 1, minute: try Self.field(fields[0], .minutes), hour: try Self.field(fields[1], .hours),
                              dayOfMonth: try Self.field(fields[2], .daysOfMonth), month: try Self.field(fields[3], .months),
                              dayOfWeek: try Self.field(fields[4], .daysOfWeek)))
    }

    /// The first activation strictly after `time`, reading the calendar in the schedule's
    /// zone or else `zone`; nil when none falls within five years (robfig's zero time).
    public func next(after time: Date, in zone: TimeZone = CronTimeZone.utc) -> Date? {
        switch rule {
        case .every(let seconds):
            // Whole seconds from the given instant, its fraction dropped.
            let fraction = time.timeIntervalSince1970 - time.timeIntervalSince1970.rounded(.down)
            return time.addingTimeInterval(TimeInterval(seconds) - fraction)
        case .fields(let fields):
            return CronCalendarSearch(fields: fields, zone: timeZone ?? zone).next(after: time)
        }
    }

    // MARK: Parsing

    /// `@yearly` and the other descriptors.
    static func descriptor(_ text: String) throws(CronScheduleError) -> Rule {
        let all = { (bounds: FieldBounds) in bits(bounds.min, bounds.max, step: 1) | starBit }
        let first = { (bounds: FieldBounds) -> UInt64 in 1 << UInt64(bounds.min) }
        switch text {
        case "@yearly", "@annually":
            return .fields(Fields(second: 1, minute: 1, hour: 1, dayOfMonth: first(.daysOfMonth), month: first(.months),
                                  dayOfWeek: all(.daysOfWeek)))
        case "@monthly":
            return .fields(Fields(second: 1, minute: 1, hour: 1, dayOfMonth: first(.daysOfMonth), month: all(.months),
                                  dayOfWeek: all(.daysOfWeek)))
        case "@weekly":
            return .fields(Fields(second: 1, minute: 1, hour: 1, dayOfMonth: all(.daysOfMonth), month: all(.months),
                                  dayOfWeek: first(.daysOfWeek)))
        case "@daily", "@midnight":
            return .fields(Fields(second: 1, minute: 1, hour: 1, dayOfMonth: all(.daysOfMonth), month: all(.months),
                                  dayOfWeek: all(.daysOfWeek)))
        case "@hourly":
            return .fields(Fields(second: 1, minute: 1, hour: all(.hours), dayOfMonth: all(.daysOfMonth), month: all(.months),
                                  dayOfWeek: all(.daysOfWeek)))
        default:
            break
        }
        let every = "@every "
        guard text.hasPrefix(every) else { throw CronScheduleError("unrecognized descriptor: \(text)") }
        let spelled = String(text.dropFirst(every.count))
        guard let duration = GoDuration.parse(spelled) else {
            throw CronScheduleError("failed to parse duration \(text): time: invalid duration \(GoQuote.quote(spelled))")
        }
        // `Every` runs at least once a second, in whole seconds.
        return .every(max(1, Int(duration.components.seconds)))
    }

    /// One field: a comma-separated list of ranges.
    static func field(_ text: String, _ bounds: FieldBounds) throws(CronScheduleError) -> UInt64 {
        var result: UInt64 = 0
        for part in text.split(separator: ",") { result |= try range(String(part), bounds) }
        return result
    }

    /// `*`, `?`, `n`, `n-m`, each optionally `/step` (`n/step` meaning `n-max/step`).
    static func range(_ expression: String, _ bounds: FieldBounds) throws(CronScheduleError) -> UInt64 {
        let rangeAndStep = expression.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        let lowAndHigh = rangeAndStep[0].split(separator: "-", omittingEmptySubsequences: false).map(String.init)
        var start: Int
        var end: Int
        var extra: UInt64 = 0
        if lowAndHigh[0] == "*" || lowAndHigh[0] == "?" {
            start = bounds.min
            end = bounds.max
            extra = starBit
        } else {
            start = try number(lowAndHigh[0], names: bounds.names)
            switch lowAndHigh.count {
            case 1: end = start
            case 2: end = try number(lowAndHigh[1], names: bounds.names)
            default: throw CronScheduleError("too many hyphens: \(expression)")
            }
        }
        var step = 1
        switch rangeAndStep.count {
        case 1:
            break
        case 2:
            step = try number(rangeAndStep[1], names: [:])
            if lowAndHigh.count == 1 { end = bounds.max }
            if step > 1 { extra = 0 }
        default:
            throw CronScheduleError("too many slashes: \(expression)")
        }
        if start < bounds.min {
            throw CronScheduleError("beginning of range (\(start)) below minimum (\(bounds.min)): \(expression)")
        }
        if end > bounds.max { throw CronScheduleError("end of range (\(end)) above maximum (\(bounds.max)): \(expression)") }
        if start > end { throw CronScheduleError("beginning of range (\(start)) beyond end of range (\(end)): \(expression)") }
        if step == 0 { throw CronScheduleError("step of range should be a positive number: \(expression)") }
        return bits(start, end, step: step) | extra
    }

    /// A natural number or, where the field has them, a three-letter name (any case).
    static func number(_ text: String, names: [String: Int]) throws(CronScheduleError) -> Int {
        if let named = names[text.lowercased()] { return named }
        guard let value = Int(text) else {
            throw CronScheduleError("failed to parse int from \(text): strconv.Atoi: parsing \(GoQuote.quote(text)): invalid syntax")
        }
        guard value >= 0 else { throw CronScheduleError("negative number (\(value)) not allowed: \(text)") }
        return value
    }

    /// Bits `min...max`, every `step`-th.
    static func bits(_ min: Int, _ max: Int, step: Int) -> UInt64 {
        var result: UInt64 = 0
        for value in stride(from: min, through: max, by: step) { result |= 1 << UInt64(value) }
        return result
    }

    /// Set in a field written `*` or `?` (it changes how the two day fields combine).
    static let starBit: UInt64 = 1 << 63
}

/// The range and names of one schedule field.
struct FieldBounds: Sendable {
    var min: Int
    var max: Int
    var names: [String: Int] = [:]

    static let minutes = FieldBounds(min: 0, max: 59)
    static let hours = FieldBounds(min: 0, max: 23)
    static let daysOfMonth = FieldBounds(min: 1, max: 31)
    static let months = FieldBounds(min: 1, max: 12, names: [
        "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6,
        "jul": 7, "aug": 8, "sep": 9, "oct": 10, "nov": 11, "dec": 12,
    ])
    static let daysOfWeek = FieldBounds(min: 0, max: 6, names: [
        "sun": 0, "mon": 1, "tue": 2, "wed": 3, "thu": 4, "fri": 5, "sat": 6,
    ])
}

/// A schedule robfig/cron refuses, with its message.
public struct CronScheduleError: Error, Equatable, CustomStringConvertible {
    /// robfig/cron's text.
    public let description: String

    init(_ description: String) { self.description = description }
}
