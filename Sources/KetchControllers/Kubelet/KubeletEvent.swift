/// An event the kubelet records about a pod's container, worded as kubelet 1.33 words it
/// (`kubectl describe pod` shows these under Events, from `kubelet`).
public struct KubeletEvent: Sendable, Hashable {
    /// `Normal` or `Warning`.
    public var type: String
    /// `Pulling`, `Pulled`, `Created`, `Started`, `Killing`, `BackOff`.
    public var reason: String
    /// The message.
    public var message: String
    /// The container the event is about, as `involvedObject.fieldPath`
    /// (`spec.containers{nginx}`, `spec.initContainers{init}`).
    public var fieldPath: String

    /// `Pulling image "nginx"`.
    static func pulling(_ image: String, _ fieldPath: String) -> KubeletEvent {
        KubeletEvent(type: "Normal", reason: "Pulling", message: "Pulling image \"\(image)\"", fieldPath: fieldPath)
    }

    /// A pull that took no time, as a simulated pull does.
    static func pulled(_ image: String, _ fieldPath: String) -> KubeletEvent {
        KubeletEvent(type: "Normal", reason: "Pulled",
                     message: "Successfully pulled image \"\(image)\" in 0s (0s including waiting). Image size: 0 bytes.",
                     fieldPath: fieldPath)
    }

    /// The image was already on the node.
    static func alreadyPresent(_ image: String, _ fieldPath: String) -> KubeletEvent {
        KubeletEvent(type: "Normal", reason: "Pulled", message: "Container image \"\(image)\" already present on machine",
                     fieldPath: fieldPath)
    }

    /// `Created container: nginx`.
    static func created(_ container: String, _ fieldPath: String) -> KubeletEvent {
        KubeletEvent(type: "Normal", reason: "Created", message: "Created container: \(container)", fieldPath: fieldPath)
    }

    /// `Started container nginx`.
    static func started(_ container: String, _ fieldPath: String) -> KubeletEvent {
        KubeletEvent(type: "Normal", reason: "Started", message: "Started container \(container)", fieldPath: fieldPath)
    }

    /// `Stopping container nginx`, when the pod is deleted.
    static func killing(_ container: String, _ fieldPath: String) -> KubeletEvent {
        KubeletEvent(type: "Normal", reason: "Killing", message: "Stopping container \(container)", fieldPath: fieldPath)
    }

    /// `Back-off restarting failed container nginx in pod web_default(<uid>)`.
    static func backOff(_ container: String, pod: String, _ fieldPath: String) -> KubeletEvent {
        KubeletEvent(type: "Warning", reason: "BackOff",
                     message: "Back-off restarting failed container \(container) in pod \(pod)", fieldPath: fieldPath)
    }
}
