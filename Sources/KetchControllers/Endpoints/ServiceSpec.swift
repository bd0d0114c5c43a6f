import Foundation
import KubeCore

/// What the endpoint controllers read from a core/v1 Service.
struct ServiceSpec: Sendable {
    /// One `spec.ports` entry.
    struct Port: Sendable, Hashable {
        /// The port's target in the pods: a number, or a container port's name.
        enum Target: Sendable, Hashable {
            case number(Int)
            case name(String)
        }
        /// `name`; empty when the Service has a single unnamed port.
        var name: String
        /// `port`.
        var port: Int
        /// `protocol`; TCP by default.
        var proto: String
        /// `targetPort`, defaulted to `port` as the apiserver does.
        var target: Target
        /// `appProtocol`.
        var appProtocol: String?

        init(_ json: JSONValue) {
            name = json["name"]?.string ?? ""
            port = json["port"]?.int ?? 0
            proto = json["protocol"]?.string ?? "TCP"
            appProtocol = json["appProtocol"]?.string
            switch json["targetPort"] {
            case .string(let text) where !text.isEmpty: target = .name(text)
            case let value? where (value.int ?? 0) != 0: target = .number(value.int ?? 0)
            default: target = .number(port)
            }
        }
    }

    /// `metadata.name`.
    var name: String
    /// `metadata.namespace`.
    var namespace: String
    /// `metadata.uid`.
    var uid: String
    /// `metadata.labels`.
    var labels: [String: String]
    /// `spec.selector`; nil when absent or empty: such a Service selects nothing (an empty map
    /// does not survive the apiserver's storage, so it never means "every pod").
    var selector: [String: String]?
    /// `spec.type`.
    var type: String
    /// `spec.clusterIP`.
    var clusterIP: String
    /// `spec.ipFamilies`.
    var ipFamilies: [String]
    /// `spec.publishNotReadyAddresses`.
    var publishNotReadyAddresses: Bool
    /// `spec.ports`.
    var ports: [Port]
    /// `metadata.creationTimestamp`.
    var created: Date?
    /// Whether `metadata.deletionTimestamp` is set.
    var isDeleting: Bool

    init(_ service: JSONValue) {
        name = ObjectMetadata.name(service)
        namespace = ObjectMetadata.namespace(service)
        uid = ObjectMetadata.uid(service)
        labels = ObjectMetadata.labels(service)
        let selector = (service[path: ["spec", "selector"]]?.object ?? [:]).compactMapValues(\.string)
        self.selector = selector.isEmpty ? nil : selector
        type = service[path: ["spec", "type"]]?.string ?? "ClusterIP"
        clusterIP = service[path: ["spec", "clusterIP"]]?.string ?? ""
        ipFamilies = (service[path: ["spec", "ipFamilies"]]?.array ?? []).compactMap(\.string)
        publishNotReadyAddresses = service[path: ["spec", "publishNotReadyAddresses"]]?.bool ?? false
        ports = (service[path: ["spec", "ports"]]?.array ?? []).map(Port.init)
        created = PodReadiness.creationTime(service)
        isDeleting = ObjectMetadata.isDeleting(service)
    }

    /// The label upstream puts on the endpoints of a headless Service (`v1.IsHeadlessService`).
    static let headlessLabel = "service.kubernetes.io/headless"

    /// Whether the Service gets endpoints from the controllers: a selector, and not ExternalName.
    var isManaged: Bool { selector != nil && type != "ExternalName" }

    /// Whether the cluster IP is unset or `None` (`!IsServiceIPSet`).
    var isHeadless: Bool { clusterIP == "None" || clusterIP.isEmpty }

    /// Whether the selector matches `pod`'s labels.
    func selects(_ pod: JSONValue) -> Bool {
        guard let selector else { return false }
        let labels = ObjectMetadata.labels(pod)
        return selector.allSatisfy { labels[$0.key] == $0.value }
    }
}
