import Foundation

/// The cronjob controller's arithmetic of schedule times (`mostRecentScheduleTime`,
/// `nextScheduleTime`, `nextScheduleTimeDuration`).
public enum CronJobTiming {
    /// How far past a schedule time the controller wakes, against clock skew.
    public static let nextScheduleDelta: Duration = .milliseconds(100)

    /// How many schedule times went by unmet.
    public enum Missed: Sendable, Equatable {
        /// None.
        case none
        /// Some, up to 100.
        case few
        /// More than 100: too many to catch up on.
        case many
    }

    /// What `mostRecentScheduleTime` finds.
    public struct Recent: Sendable, Equatable {
        /// The last schedule time, or the creation time, or the starting deadline.
        public var earliest: Date
        /// The latest schedule time not after now, if one has passed since `earliest`.
        public var mostRecent: Date?
        /// How many were missed.
        public var missed: Missed
    }

    /// The most recent schedule time at `now`. Throws for a schedule that is grammatical but
    /// never fires (the 31st of February).
    public static func mostRecent(_ spec: CronJobSpec, now: Date, schedule: CronSchedule,
                                  includeStartingDeadline: Bool) throws(CronScheduleError) -> Recent {
        var earliest = spec.lastScheduleTime ?? spec.creationTime
        if includeStartingDeadline, let seconds = spec.startingDeadlineSeconds {
            // Nothing before the starting deadline will be started anyway.
            earliest = max(earliest, now.addingTimeInterval(-TimeInterval(seconds)))
        }
        let never = CronScheduleError("time difference between two schedules is less than 1 second")
        guard let t1 = schedule.next(after: earliest) else { throw never }
        if now < t1 { return Recent(earliest: earliest, mostRecent: nil, missed: .none) }
        guard let t2 = schedule.next(after: t1) else { throw never }
        if now < t2 { return Recent(earliest: earliest, mostRecent: t1, missed: .none) }
        let between = Int(t2.timeIntervalSince(t1).rounded(.toNearestOrAwayFromZero))
        guard between >= 1 else { throw never }
        // An estimate of how many fit since t1, then a walk over the last few of them.
        let elapsed = Int(now.timeIntervalSince(t1))
        let missedCount = elapsed / between + 1
        let start = t1.addingTimeInterval(TimeInterval((missedCount - 2) * between))
        var latest: Date?
        var candidate = schedule.next(after: start)
        while let time = candidate, time <= now {
            latest = time
            candidate = schedule.next(after: time)
        }
        let missed: Missed = missedCount > 100 ? .many : (missedCount > 0 ? .few : .none)
        return Recent(earliest: earliest, mostRecent: latest, missed: missed)
    }

    /// The schedule time to start a Job for now, if one is due, and whether more than 100 went
    /// by unmet (`nextScheduleTime`).
    public static func due(_ spec: CronJobSpec, now: Date,
                           schedule: CronSchedule) throws(CronScheduleError) -> (time: Date?, tooManyMissed: Bool) {
        let recent = try mostRecent(spec, now: now, schedule: schedule, includeStartingDeadline: true)
        guard let time = recent.mostRecent, time <= now else { return (nil, false) }
        return (time, recent.missed == .many)
    }

    /// How long until the next schedule time, plus ``nextScheduleDelta``; nil when the
    /// schedule never fires again.
    public static func untilNext(_ spec: CronJobSpec, now: Date, schedule: CronSchedule) -> Duration? {
        var from = now
        if let recent = try? mostRecent(spec, now: now, schedule: schedule, includeStartingDeadline: false) {
            from = recent.mostRecent ?? (recent.missed == .none ? recent.earliest : now)
        }
        guard let next = schedule.next(after: from) else { return nil }
        return .seconds(next.timeIntervalSince(now)) + nextScheduleDelta
    }
}
