import Foundation

/// robfig/cron's `SpecSchedule.Next`: from the next whole second, advance the month, then the
/// day, hour, minute and second until each matches, starting over whenever a field wraps.
struct CronCalendarSearch {
    let fields: CronSchedule.Fields
    let calendar: Calendar

    init(fields: CronSchedule.Fields, zone: TimeZone) {
        self.fields = fields
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        self.calendar = calendar
    }

    /// The civil fields of an instant in the zone.
    struct Civil {
        var year, month, day, hour, minute, second, weekday: Int
    }

    func civil(_ time: Date) -> Civil {
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second, .weekday], from: time)
        return Civil(year: c.year ?? 1970, month: c.month ?? 1, day: c.day ?? 1, hour: c.hour ?? 0,
                     minute: c.minute ?? 0, second: c.second ?? 0, weekday: (c.weekday ?? 1) - 1)
    }

    /// Go's `time.Date` in the zone.
    func date(_ year: Int, _ month: Int, _ day: Int, _ hour: Int = 0, _ minute: Int = 0, _ second: Int = 0) -> Date {
        // Month overflow is normalised here, so the calendar only ever sees months 1...12.
        let months = year * 12 + (month - 1)
        let components = DateComponents(year: months / 12, month: months % 12 + 1, day: day, hour: hour,
                                        minute: minute, second: second)
        return calendar.date(from: components) ?? Date(timeIntervalSince1970: 0)
    }

    func has(_ set: UInt64, _ value: Int) -> Bool { set & (1 << UInt64(value)) != 0 }

    /// The day-of-month and day-of-week rule: when either field is `*` both must match,
    /// otherwise either may (so `0 0 1,15 * mon` runs on the 1st, the 15th and every Monday).
    func dayMatches(_ c: Civil) -> Bool {
        let domMatch = has(fields.dayOfMonth, c.day)
        let dowMatch = has(fields.dayOfWeek, c.weekday)
        if fields.dayOfMonth & CronSchedule.starBit != 0 || fields.dayOfWeek & CronSchedule.starBit != 0 {
            return domMatch && dowMatch
        }
        return domMatch || dowMatch
    }

    /// Where the search stands: an instant, its civil fields, and whether any field has
    /// moved yet (the first move drops everything below the field).
    struct Cursor {
        var time: Date
        var civil: Civil
        var moved = false
    }

    /// The first matching instant after `time`, or nil after five years of none.
    func next(after time: Date) -> Date? {
        let first = Date(timeIntervalSince1970: time.timeIntervalSince1970.rounded(.down) + 1)
        var cursor = Cursor(time: first, civil: civil(first))
        let yearLimit = cursor.civil.year + 5
        wrap: while true {
            cursor.civil = civil(cursor.time)
            if cursor.civil.year > yearLimit { return nil }
            while !has(fields.month, cursor.civil.month) {
                if !cursor.moved { move(&cursor, to: date(cursor.civil.year, cursor.civil.month, 1)) }
                let c = cursor.civil
                move(&cursor, to: date(c.year, c.month + 1, c.day, c.hour, c.minute, c.second))
                if cursor.civil.month == 1 { continue wrap }
            }
            while !dayMatches(cursor.civil) {
                if !cursor.moved { move(&cursor, to: date(cursor.civil.year, cursor.civil.month, cursor.civil.day)) }
                let nextDay = calendar.date(byAdding: .day, value: 1, to: cursor.time)
                move(&cursor, to: nextDay ?? cursor.time.addingTimeInterval(86_400))
                // Where DST moves midnight, land back on it.
                let hour = cursor.civil.hour
                if hour != 0 {
                    move(&cursor, to: cursor.time.addingTimeInterval(TimeInterval(hour > 12 ? (24 - hour) * 3600 : -hour * 3600)))
                }
                if cursor.civil.day == 1 { continue wrap }
            }
            guard advance(&cursor, until: fields.hour, \.hour, unit: 3600,
                          start: { date($0.civil.year, $0.civil.month, $0.civil.day, $0.civil.hour) }),
                  advance(&cursor, until: fields.minute, \.minute, unit: 60, start: { truncated($0.time, to: 60) }),
                  advance(&cursor, until: fields.second, \.second, unit: 1, start: { truncated($0.time, to: 1) }) else {
                continue wrap
            }
            return cursor.time
        }
    }

    /// Puts the cursor at `time`; a first move marks it moved.
    func move(_ cursor: inout Cursor, to time: Date) {
        cursor.moved = true
        cursor.time = time
        cursor.civil = civil(time)
    }

    /// Steps the cursor `unit` seconds at a time until the field `value` reads is in `set`,
    /// first dropping what lies below the field (`start`). False when the field wrapped to 0:
    /// the search must start again from the month.
    func advance(_ cursor: inout Cursor, until set: UInt64, _ value: (Civil) -> Int, unit: TimeInterval,
                 start: (Cursor) -> Date) -> Bool {
        while !has(set, value(cursor.civil)) {
            if !cursor.moved { move(&cursor, to: start(cursor)) }
            move(&cursor, to: cursor.time.addingTimeInterval(unit))
            if value(cursor.civil) == 0 { return false }
        }
        return true
    }

    /// Go's `Truncate`: down to a multiple of `seconds` of absolute time.
    func truncated(_ time: Date, to seconds: Double) -> Date {
        Date(timeIntervalSince1970: (time.timeIntervalSince1970 / seconds).rounded(.down) * seconds)
    }
}
