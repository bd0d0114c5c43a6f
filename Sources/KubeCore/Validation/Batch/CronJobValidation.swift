/// batch/v1 CronJob: `ValidateCronJobCreate` and `ValidateCronJobUpdate` (the schedule, time
/// zone, concurrency policy, job template and history limits; the 52-character name limit on
/// create only).
enum CronJobValidation {
    /// The CronJob's errors; `old` is the stored CronJob on update.
    static func errors(_ object: JSONValue, _ old: JSONValue?) -> [FieldError] {
        var errors = specErrors(object["spec"], oldSpec: old?["spec"])
        let name = object["metadata"]?["name"]?.string ?? ""
        // The controller appends an 11-character suffix to Job names, which are DNS labels.
        if old == nil, name.count > 63 - 11 {
            errors.append(FieldError(FieldPath("metadata", "name"), .invalid(value: .string(name), detail: "must be no more than 52 characters")))
        }
        return errors
    }

    /// `validateCronJobSpec`.
    static func specErrors(_ spec: JSONValue?, oldSpec: JSONValue?) -> [FieldError] {
        let path = FieldPath("spec")
        var errors: [FieldError] = []
        let schedule = spec?["schedule"]?.string ?? ""
        if schedule.isEmpty {
            errors.append(FieldError(path.child("schedule"), .required(detail: "")))
        } else {
            let allowTZ = oldSpec?["schedule"]?.string?.contains("TZ") ?? false
            if let problem = CronSchedule.problem(schedule) {
                errors.append(FieldError(path.child("schedule"), .invalid(value: .string(schedule), detail: problem)))
            }
            if allowTZ, schedule.contains("TZ"), JobSpecValidation.set(spec?["timeZone"]) != nil {
                errors.append(FieldError(path.child("schedule"), .invalid(value: .string(schedule), detail: "cannot use both timeZone field and TZ or CRON_TZ in schedule")))
            } else if !allowTZ, schedule.contains("TZ") {
                errors.append(FieldError(path.child("schedule"), .invalid(value: .string(schedule), detail: "cannot use TZ or CRON_TZ in schedule, use timeZone field instead")))
            }
        }
        errors += FieldChecks.nonNegative(spec?["startingDeadlineSeconds"], path.child("startingDeadlineSeconds"))
        let timeZone = JobSpecValidation.set(spec?["timeZone"])
        if oldSpec == nil || timeZone?.string != JobSpecValidation.set(oldSpec?["timeZone"])?.string {
            errors += timeZoneErrors(timeZone?.string, path.child("timeZone"))
        }
        let policy = spec?["concurrencyPolicy"]?.string ?? ""
        switch policy {
        case "Allow", "Forbid", "Replace":
            break
        case "":
            errors.append(FieldError(path.child("concurrencyPolicy"), .required(detail: "")))
        default:
            errors.append(FieldError(path.child("concurrencyPolicy"), .notSupported(value: .string(policy), supported: ["Allow", "Forbid", "Replace"])))
        }
        errors += jobTemplateErrors(spec?["jobTemplate"], path.child("jobTemplate"))
        errors += FieldChecks.nonNegative(spec?["successfulJobsHistoryLimit"], path.child("successfulJobsHistoryLimit"))
        errors += FieldChecks.nonNegative(spec?["failedJobsHistoryLimit"], path.child("failedJobsHistoryLimit"))
        return errors
    }

    /// `ValidateJobTemplateSpec`: the job spec, whose selector is always generated.
    static func jobTemplateErrors(_ jobTemplate: JSONValue?, _ path: FieldPath) -> [FieldError] {
        let spec = jobTemplate?["spec"]
        var errors = JobSpecValidation.errors(spec, path.child("spec"))
        if let selector = JobSpecValidation.set(spec?["selector"]) {
            errors.append(FieldError(path.child("spec", "selector"), .invalid(value: .raw(GoSyntax.labelSelector(selector)), detail: "`selector` will be auto-generated")))
        }
        if spec?["manualSelector"]?.bool == true {
            errors.append(FieldError(path.child("spec", "manualSelector"), .notSupported(value: .bool(true), supported: ["nil", "false"])))
        }
        return errors
    }

    /// `validateTimeZone`: unset, or an explicit IANA zone name.
    static func timeZoneErrors(_ timeZone: String?, _ path: FieldPath) -> [FieldError] {
        guard let timeZone else { return [] }
        if timeZone.isEmpty {
            return [FieldError(path, .invalid(value: .string(timeZone), detail: "timeZone must be nil or non-empty string"))]
        }
        for part in timeZone.split(separator: "/", omittingEmptySubsequences: false) {
            let valid = part != "." && part != ".." && !part.hasPrefix("-")
                && part.range(of: "^[A-Za-z.\\-_0-9+]{1,14}$", options: .regularExpression) != nil
            if !valid {
                return [FieldError(path, .invalid(value: .string(timeZone), detail: "unknown time zone \(timeZone)"))]
            }
        }
        var errors: [FieldError] = []
        if timeZone.lowercased() == "local" {
            errors.append(FieldError(path, .invalid(value: .string(timeZone), detail: "timeZone must be an explicit time zone as defined in https://www.iana.org/time-zones")))
        }
        if timeZone != "Local", !TimeZoneCheck.isKnown(timeZone) {
            errors.append(FieldError(path, .invalid(value: .string(timeZone), detail: "unknown time zone \(timeZone)")))
        }
        return errors
    }
}
