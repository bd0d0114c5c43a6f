import KubeCore

/// An Event a controller's logic decided to record about its object; the reconciler hands it
/// to the ``EventRecorder`` once the decision has taken effect.
public struct PlannedEvent: Sendable, Equatable {
    /// `Normal` or `Warning`.
    public var type: String
    /// The CamelCase reason (`Completed`, `SawCompletedJob`).
    public var reason: String
    /// The message.
    public var message: String

    /// A `Normal` event.
    public static func normal(_ reason: String, _ message: String) -> PlannedEvent {
        PlannedEvent(type: "Normal", reason: reason, message: message)
    }

    /// A `Warning` event.
    public static func warning(_ reason: String, _ message: String) -> PlannedEvent {
        PlannedEvent(type: "Warning", reason: reason, message: message)
    }

    /// Records this event about `object`.
    public func record(about object: JSONValue, with recorder: EventRecorder) {
        recorder.record(object, type: type, reason: reason, message: message)
    }
}
