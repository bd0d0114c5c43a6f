import Foundation
@testable import KetchControllers
import KubeCore

/// Services and pods for the endpoint controllers' tests.
enum EndpointsFixtures {
    /// A Service selecting `app: <selector>` with `ports` (name, port, targetPort).
    static func service(_ name: String = "web", selector: String? = "web", uid: String = "svc-uid",
                        ports: [(String, Int, JSONValue)] = [("http", 80, .string("http"))],
                        clusterIP: String = "10.96.0.10", labels: [String: String] = [:],
                        publishNotReady: Bool = false, created: String = "2024-01-01T00:00:00Z") -> JSONValue {
        var spec: [String: JSONValue] = [
            "clusterIP": .string(clusterIP), "type": .string("ClusterIP"),
            "ipFamilies": .array([.string("IPv4")]),
            "ports": .array(ports.map { name, port, target in
                .object(["name": .string(name), "port": .integer(port), "protocol": .string("TCP"), "targetPort": target])
            }),
        ]
        if let selector { spec["selector"] = .object(["app": .string(selector)]) }
        if publishNotReady { spec["publishNotReadyAddresses"] = .bool(true) }
        var metadata: [String: JSONValue] = [
            "name": .string(name), "namespace": .string("default"), "uid": .string(uid),
            "creationTimestamp": .string(created),
        ]
        if !labels.isEmpty { metadata["labels"] = .object(labels.mapValues(JSONValue.string)) }
        return .object(["apiVersion": .string("v1"), "kind": .string("Service"), "metadata": .object(metadata), "spec": .object(spec)])
    }

    /// A pod `app: <app>` on `node` with `ip`, ready or not, exposing container port `http`
    /// on 8080.
    static func pod(_ name: String, app: String = "web", ip: String? = "10.244.0.5", ready: Bool = true,
                    node: String = "n1", terminating: Bool = false, readySince: String = "2024-01-01T00:01:00Z",
                    hostname: String? = nil, subdomain: String? = nil) -> JSONValue {
        var metadata: [String: JSONValue] = [
            "name": .string(name), "namespace": .string("default"), "uid": .string("uid-" + name),
            "labels": .object(["app": .string(app)]),
        ]
        if terminating { metadata["deletionTimestamp"] = .string("2024-01-01T00:05:00Z") }
        var spec: [String: JSONValue] = [
            "nodeName": .string(node),
            "containers": .array([.object(["name": .string("c"), "ports": .array([
                .object(["name": .string("http"), "containerPort": .integer(8080), "protocol": .string("TCP")]),
            ])])]),
        ]
        if let hostname { spec["hostname"] = .string(hostname) }
        if let subdomain { spec["subdomain"] = .string(subdomain) }
        var status: [String: JSONValue] = [
            "phase": .string("Running"),
            "conditions": .array([.object(["type": .string("Ready"), "status": .string(ready ? "True" : "False"),
                                            "lastTransitionTime": .string(readySince)])]),
        ]
        if let ip {
            status["podIP"] = .string(ip)
            status["podIPs"] = .array([.object(["ip": .string(ip)])])
        }
        return .object(["apiVersion": .string("v1"), "kind": .string("Pod"), "metadata": .object(metadata),
                        "spec": .object(spec), "status": .object(status)])
    }

    /// Labels of node `n1`, and no other node.
    static func nodeLabels(_ name: String) -> [String: String]? {
        name == "n1" ? ["kubernetes.io/hostname": "n1"] : nil
    }
}
