import KubeCore

/// One entry of a ReplicaSet's or Deployment's `status.conditions`.
public struct WorkloadCondition: Sendable, Hashable {
    /// `type`: `ReplicaFailure`, `Available`, `Progressing`.
    public var type: String
    /// `True`, `False` or `Unknown`.
    public var status: String
    /// The CamelCase reason.
    public var reason: String
    /// The human-readable message.
    public var message: String
    /// `lastUpdateTime`; Deployment conditions only.
    public var lastUpdateTime: String?
    /// `lastTransitionTime`.
    public var lastTransitionTime: String?

    /// A condition with the given parts.
    public init(type: String, status: String, reason: String, message: String,
                lastUpdateTime: String? = nil, lastTransitionTime: String? = nil) {
        self.type = type
        self.status = status
        self.reason = reason
        self.message = message
        self.lastUpdateTime = lastUpdateTime
        self.lastTransitionTime = lastTransitionTime
    }

    /// A condition read from its JSON form.
    public init(json: JSONValue) {
        self.init(type: json["type"]?.string ?? "", status: json["status"]?.string ?? "",
                  reason: json["reason"]?.string ?? "", message: json["message"]?.string ?? "",
                  lastUpdateTime: json["lastUpdateTime"]?.string, lastTransitionTime: json["lastTransitionTime"]?.string)
    }

    /// The JSON form; empty reason and message are left out, as Go's `omitempty` does.
    public var json: JSONValue {
        var object: [String: JSONValue] = ["type": .string(type), "status": .string(status)]
        if !reason.isEmpty { object["reason"] = .string(reason) }
        if !message.isEmpty { object["message"] = .string(message) }
        if let lastUpdateTime { object["lastUpdateTime"] = .string(lastUpdateTime) }
        if let lastTransitionTime { object["lastTransitionTime"] = .string(lastTransitionTime) }
        return .object(object)
    }

    /// The conditions of a `status` object.
    public static func list(in status: JSONValue?) -> [WorkloadCondition] {
        (status?["conditions"]?.array ?? []).map(WorkloadCondition.init(json:))
    }
}

extension Array where Element == WorkloadCondition {
    /// The condition of `type`, if present.
    public func condition(_ type: String) -> WorkloadCondition? {
        first { $0.type == type }
    }

    /// Sets `condition` as upstream's `SetCondition`/`SetDeploymentCondition` do: nothing
    /// changes when one with the same status and reason is there; otherwise the old one goes and
    /// the new one is appended, keeping the old `lastTransitionTime` when `keepingTransitionTime`
    /// and the status did not change.
    public mutating func set(_ condition: WorkloadCondition, keepingTransitionTime: Bool) {
        var condition = condition
        if let current = self.condition(condition.type) {
            if current.status == condition.status, current.reason == condition.reason { return }
            if keepingTransitionTime, current.status == condition.status {
                condition.lastTransitionTime = current.lastTransitionTime
            }
        }
        remove(condition.type)
        append(condition)
    }

    /// Removes the condition of `type`.
    public mutating func remove(_ type: String) {
        removeAll { $0.type == type }
    }

    /// The JSON array.
    public var json: JSONValue { .array(map(\.json)) }
}
