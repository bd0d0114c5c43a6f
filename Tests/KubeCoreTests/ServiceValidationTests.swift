import Foundation
import KubeCore
import Testing

/// Service validation as kube-apiserver 1.33 words it (`ValidateService`,
/// `ValidateServiceUpdate`), after defaulting and the storage's cluster IP handling.
@Suite struct ServiceValidationTests {
    private func json(_ text: String) throws -> JSONValue { try JSONValue(parsing: Data(text.utf8)) }

    private func created(_ text: String) throws -> JSONValue {
        ObjectDefaults.forCreate(try json(text), BuiltinResources.services, namespace: "default", fieldManager: "test")
    }

    private func createErrors(_ text: String) throws -> [String] {
        ObjectValidation.problems(try created(text), BuiltinResources.services, old: nil).map(\.description)
    }

    /// Update errors of a Service stored with `clusterIP` 10.96.0.10, changed by `change`.
    private func updateErrors(_ text: String, _ change: (inout JSONValue) -> Void) throws -> [String] {
        var stored = try created(text)
        stored["spec"]?["clusterIP"] = .string("10.96.0.10")
        stored["spec"]?["clusterIPs"] = .array([.string("10.96.0.10")])
        var input = stored
        change(&input)
        let updated = ObjectDefaults.forUpdate(input, existing: stored, BuiltinResources.services, subresource: nil)
        return ObjectValidation.problems(updated, BuiltinResources.services, old: stored).map(\.description)
    }

    private let service = #"{"metadata":{"name":"web"},"spec":{"selector":{"app":"web"},"ports":[{"port":80,"targetPort":8080}]}}"#

    @Test func validServicesPass() throws {
        #expect(try createErrors(service) == [])
        #expect(try createErrors(#"{"metadata":{"name":"np"},"spec":{"type":"NodePort","ports":[{"name":"http","port":80},{"name":"https","port":443}]}}"#) == [])
        #expect(try createErrors(#"{"metadata":{"name":"ext"},"spec":{"type":"ExternalName","externalName":"example.com."}}"#) == [])
        #expect(try createErrors(#"{"metadata":{"name":"headless"},"spec":{"clusterIP":"None"}}"#) == [])
    }

    @Test func typeAndPorts() throws {
        #expect(try createErrors(#"{"metadata":{"name":"web"},"spec":{"type":"Bogus","ports":[{"port":80}]}}"#) == [
            #"spec.type: Unsupported value: "Bogus": supported values: "ClusterIP", "ExternalName", "LoadBalancer", "NodePort""#,
        ])
        #expect(try createErrors(#"{"metadata":{"name":"web"},"spec":{}}"#) == ["spec.ports: Required value"])
        #expect(try createErrors(#"{"metadata":{"name":"web"},"spec":{"ports":[{"port":99999,"protocol":"HTTP"},{"port":80,"targetPort":"not_a_name"}]}}"#) == [
            "spec.ports[0].name: Required value",
            "spec.ports[0].port: Invalid value: 99999: must be between 1 and 65535, inclusive",
            #"spec.ports[0].protocol: Unsupported value: "HTTP": supported values: "SCTP", "TCP", "UDP""#,
            // The target port defaults to the port, so it is out of range too.
            "spec.ports[0].targetPort: Invalid value: 99999: must be between 1 and 65535, inclusive",
            "spec.ports[1].name: Required value",
            #"spec.ports[1].targetPort: Invalid value: "not_a_name": must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)"#,
        ])
        #expect(try createErrors(#"{"metadata":{"name":"web"},"spec":{"ports":[{"name":"a","port":80},{"name":"a","port":80}]}}"#) == [
            #"spec.ports[1].name: Duplicate value: "a""#,
            #"spec.ports[1]: Duplicate value: core.ServicePort{Name:"", Protocol:"TCP", AppProtocol:(*string)(nil), Port:80, TargetPort:intstr.IntOrString{Type:0, IntVal:0, StrVal:""}, NodePort:0}"#,
        ])
        #expect(try createErrors(#"{"metadata":{"name":"web"},"spec":{"ports":[{"port":80,"nodePort":30080}]}}"#) == [
            "spec.ports[0].nodePort: Forbidden: may not be used when `type` is 'ClusterIP'",
        ])
    }

    @Test func affinityPoliciesAndExternalNames() throws {
        #expect(try createErrors(#"{"metadata":{"name":"web"},"spec":{"ports":[{"port":80}],"sessionAffinity":"Sticky","internalTrafficPolicy":"Nearest"}}"#) == [
            #"spec.sessionAffinity: Unsupported value: "Sticky": supported values: "ClientIP", "None""#,
            #"spec.internalTrafficPolicy: Unsupported value: "Nearest": supported values: "Cluster", "Local""#,
        ])
        #expect(try createErrors(#"{"metadata":{"name":"web"},"spec":{"ports":[{"port":80}],"sessionAffinity":"ClientIP","sessionAffinityConfig":{"clientIP":{"timeoutSeconds":0}}}}"#) == [
            "spec.sessionAffinityConfig.clientIP.timeoutSeconds: Invalid value: 0: must be greater than 0 and less than 86400",
        ])
        #expect(try createErrors(#"{"metadata":{"name":"web"},"spec":{"type":"NodePort","ports":[{"port":80}],"externalTrafficPolicy":"Nowhere"}}"#) == [
            #"spec.externalTrafficPolicy: Unsupported value: "Nowhere": supported values: "Cluster", "Local""#,
        ])
        #expect(try createErrors(#"{"metadata":{"name":"ext"},"spec":{"type":"ExternalName","externalName":"Not_A_Host"}}"#) == [
            #"spec.externalName: Invalid value: "Not_A_Host": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')"#,
        ])
        #expect(try createErrors(#"{"metadata":{"name":"web"},"spec":{"clusterIP":"bogus","ports":[{"port":80}]}}"#) == [
            #"spec.clusterIPs[0]: Invalid value: "bogus": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)"#,
        ])
    }

    @Test func clusterIPIsImmutable() throws {
        #expect(try updateErrors(service) { $0["spec"]?["clusterIP"] = .string("10.96.0.99") } == [
            #"spec.clusterIPs[0]: Invalid value: []string{"10.96.0.99"}: may not change once set"#,
        ])
        // A replace that leaves the allocated address out keeps it.
        #expect(try updateErrors(service) { $0["spec"]?["clusterIP"] = nil; $0["spec"]?["clusterIPs"] = nil } == [])
        #expect(try updateErrors(service) { $0["spec"]?["ports"] = try! json(#"[{"port":81}]"#) } == [])
    }

    @Test func loadBalancerIngressIPsDefaultToVIP() throws {
        let service = try json(#"{"metadata":{"name":"lb"},"spec":{"type":"LoadBalancer","ports":[{"port":80}]},"status":{"loadBalancer":{"ingress":[{"ip":"192.0.2.1"},{"hostname":"lb.example.com"}]}}}"#)
        let defaulted = TypeDefaults.apply(service, BuiltinResources.services)
        let ingress = try #require(defaulted["status"]?["loadBalancer"]?["ingress"]?.array)
        #expect(ingress[0]["ipMode"] == .string("VIP"))
        #expect(ingress[1]["ipMode"] == nil)
        #expect(defaulted["spec"]?["allocateLoadBalancerNodePorts"] == .bool(true))
        #expect(defaulted["spec"]?["externalTrafficPolicy"] == .string("Cluster"))
    }
}
