import Foundation
import KubeCore

/// `status.conditions` of a Job: reading, making and updating them as upstream's job
/// controller does (`newCondition`, `ensureJobConditionStatus`, `IsJobFinished`).
public enum JobConditions {
    /// A condition with both probe and transition time `now`.
    public static func make(_ type: String, status: String = "True", reason: String, message: String,
                            now: Date) -> JSONValue {
        let stamp = JSONValue.string(KubeTime.rfc3339(now))
        var fields: [String: JSONValue] = [
            "type": .string(type), "status": .string(status),
            "lastProbeTime": stamp, "lastTransitionTime": stamp,
        ]
        // Go's omitempty: an empty reason or message is not serialised.
        if !reason.isEmpty { fields["reason"] = .string(reason) }
        if !message.isEmpty { fields["message"] = .string(message) }
        return .object(fields)
    }

    /// The condition of `type` in `conditions`, if any.
    public static func find(_ type: String, in conditions: [JSONValue]) -> JSONValue? {
        conditions.first { $0["type"]?.string == type }
    }

    /// The conditions of a Job object.
    public static func of(_ job: JSONValue) -> [JSONValue] {
        job["status"]?["conditions"]?.array ?? []
    }

    /// Whether `type` is present with status `True`.
    public static func isTrue(_ type: String, in conditions: [JSONValue]) -> Bool {
        find(type, in: conditions)?["status"]?.string == "True"
    }

    /// `Complete` or `Failed` when the Job has finished (that condition `True`), else nil.
    public static func finishedType(_ job: JSONValue) -> String? {
        of(job).first { condition in
            let type = condition["type"]?.string
            return (type == JobWellKnown.Condition.complete || type == JobWellKnown.Condition.failed)
                && condition["status"]?.string == "True"
        }?["type"]?.string
    }

    /// When the Job finished: the transition time of its `Complete` or `Failed` condition.
    public static func finishTime(_ job: JSONValue) -> Date? {
        guard let type = finishedType(job),
              let stamp = find(type, in: of(job))?["lastTransitionTime"]?.string else { return nil }
        return KubeTime.parse(stamp)
    }

    /// `conditions` with `type` set to `status`, `reason` and `message`, and whether anything
    /// changed. A missing condition is only added when `status` is not `False`, because going
    /// from nothing to False means nothing.
    public static func ensure(_ conditions: [JSONValue], type: String, status: String, reason: String,
                              message: String, now: Date) -> ([JSONValue], Bool) {
        var list = conditions
        let fresh = make(type, status: status, reason: reason, message: message, now: now)
        if let i = list.firstIndex(where: { $0["type"]?.string == type }) {
            let old = list[i]
            guard old["status"]?.string != status || (old["reason"]?.string ?? "") != reason
                    || (old["message"]?.string ?? "") != message else { return (list, false) }
            list[i] = fresh
            return (list, true)
        }
        guard status != "False" else { return (list, false) }
        list.append(fresh)
        return (list, true)
    }
}
