import Foundation
import Testing
@testable import KubeCore

/// Parses JSON text written in a test.
private func json(_ text: String) throws -> JSONValue {
    try JSONValue(parsing: Data(text.utf8))
}

/// The message `type`'s conversion rejects `selector` with, nil when it is accepted.
private func rejection(_ type: ResourceType, _ selector: String) throws -> String? {
    do {
        _ = try FieldLabels.of(type).convert(try FieldSelector(parsing: selector))
        return nil
    } catch {
        return error.message
    }
}

/// Whether `selector`, converted for `type`, selects `object`.
private func selects(_ type: ResourceType, _ selector: String, _ object: String) throws -> Bool {
    let rules = FieldLabels.of(type)
    return rules.matches(try rules.convert(try FieldSelector(parsing: selector)), try json(object))
}

@Suite("Field labels per resource")
struct FieldLabelsTests {
    @Test("pods: their own conversion's labels; others rejected as `field label not supported`")
    func pods() throws {
        for label in ["metadata.name", "metadata.namespace", "spec.nodeName", "spec.restartPolicy", "spec.schedulerName",
                      "spec.serviceAccountName", "spec.hostNetwork", "status.phase", "status.podIP", "status.podIPs",
                      "status.nominatedNodeName", "spec.host"] {
            #expect(try rejection(BuiltinResources.pods, label + "=x") == nil, "\(label)")
        }
        #expect(try rejection(BuiltinResources.pods, "foo=bar") == "field label not supported: foo")
        #expect(try rejection(BuiltinResources.pods, "spec.priority=1") == "field label not supported: spec.priority")
        // Terms are checked in the selector's sorted order: the first bad one is reported.
        #expect(try rejection(BuiltinResources.pods, "zzz=1,status.phase=Running,aaa=2") == "field label not supported: aaa")
    }

    @Test("kinds without a conversion take metadata.name and metadata.namespace only")
    func defaultConversion() throws {
        let message = #""foo" is not a known field selector: only "metadata.name", "metadata.namespace""#
        for type in [BuiltinResources.configMaps, BuiltinResources.deployments, BuiltinResources.cronJobs,
                     BuiltinResources.clusterRoles, BuiltinResources.customResourceDefinitions] {
            #expect(try rejection(type, "foo=1") == message, "\(type.plural)")
            #expect(try rejection(type, "metadata.name=a,metadata.namespace=b") == nil, "\(type.plural)")
        }
        // apps/v1 registers no conversion, so a ReplicaSet's status.replicas is refused.
        #expect(try rejection(BuiltinResources.replicaSets, "status.replicas=1")
                == #""status.replicas" is not a known field selector: only "metadata.name", "metadata.namespace""#)
        #expect(try rejection(BuiltinResources.configMaps, "a\tb=1")
                == #""a\tb" is not a known field selector: only "metadata.name", "metadata.namespace""#)
    }

    @Test("each built-in conversion's list", arguments: [
        (BuiltinResources.nodes, ["metadata.name", "spec.unschedulable"], ["metadata.namespace", "status.phase"]),
        (BuiltinResources.namespaces, ["metadata.name", "status.phase"], ["metadata.namespace", "spec.finalizers"]),
        (BuiltinResources.secrets, ["type", "metadata.name", "metadata.namespace"], ["data"]),
        (BuiltinResources.services, ["spec.clusterIP", "spec.type", "metadata.namespace"], ["spec.ports"]),
        (BuiltinResources.replicationControllers, ["status.replicas", "metadata.namespace"], ["spec.replicas"]),
        (BuiltinResources.events, ["involvedObject.kind", "involvedObject.namespace", "involvedObject.name",
                                    "involvedObject.uid", "involvedObject.apiVersion", "involvedObject.resourceVersion",
                                    "involvedObject.fieldPath", "reason", "reportingComponent", "source", "type",
                                    "metadata.namespace"], ["regarding.kind", "message"]),
        (BuiltinResources.eventsV1, ["regarding.kind", "regarding.namespace", "regarding.name", "regarding.uid",
                                      "regarding.apiVersion", "regarding.resourceVersion", "regarding.fieldPath",
                                      "reason", "reportingController", "source", "type", "metadata.namespace"],
         ["involvedObject.kind", "reportingComponent", "note"]),
        (BuiltinResources.certificateSigningRequests, ["metadata.name", "spec.signerName"], ["metadata.namespace"]),
    ])
    func builtinLists(type: ResourceType, accepted: [String], rejected: [String]) throws {
        for label in accepted {
            #expect(try rejection(type, label + "=x") == nil, "\(type.plural) \(label)")
        }
        for label in rejected {
            #expect(try rejection(type, label + "=x") == "field label not supported: \(label)", "\(type.plural) \(label)")
        }
    }

    @Test("Jobs word their rejection their own way")
    func jobs() throws {
        #expect(try rejection(BuiltinResources.jobs, "status.successful=1") == nil)
        #expect(try rejection(BuiltinResources.jobs, "status.failed=1") == #"field label "status.failed" not supported for Job"#)
    }

    @Test("values as the registries' field sets print them")
    func values() throws {
        let pod = #"{"metadata":{"name":"p","namespace":"n"},"spec":{"nodeName":"vm"},"status":{"phase":"Running","podIP":"10.0.0.5"}}"#
        #expect(try selects(BuiltinResources.pods, "spec.hostNetwork=false", pod)) // unset reads false
        #expect(try selects(BuiltinResources.pods, "spec.host=vm", pod)) // the old name of spec.nodeName
        #expect(try selects(BuiltinResources.pods, "status.podIP=10.0.0.5", pod))
        #expect(try !selects(BuiltinResources.pods, "status.podIPs=10.0.0.5", pod)) // accepted, never set
        #expect(try selects(BuiltinResources.pods, "status.podIPs=", pod))

        #expect(try selects(BuiltinResources.jobs, "status.successful=0", #"{"metadata":{"name":"j"},"status":{}}"#))
        #expect(try selects(BuiltinResources.jobs, "status.successful=2", #"{"metadata":{"name":"j"},"status":{"succeeded":2}}"#))
        #expect(try selects(BuiltinResources.nodes, "spec.unschedulable=false", #"{"metadata":{"name":"vm"},"spec":{}}"#))
        #expect(try selects(BuiltinResources.replicationControllers, "status.replicas=0", #"{"metadata":{"name":"r"}}"#))

        let core = #"{"metadata":{"name":"e"},"involvedObject":{"kind":"Pod"},"source":{},"reportingComponent":"kubelet"}"#
        let v1 = #"{"metadata":{"name":"e"},"regarding":{"kind":"Pod"},"reportingController":"kubelet"}"#
        for event in [core, v1] {
            #expect(try selects(BuiltinResources.events, "involvedObject.kind=Pod,source=kubelet,reportingComponent=kubelet", event))
            #expect(try selects(BuiltinResources.eventsV1, "regarding.kind=Pod,source=kubelet,reportingController=kubelet", event))
        }
    }

    @Test("custom resources: metadata and the version's selectableFields")
    func customResources() throws {
        let crd = try json("""
        {"spec":{"group":"ex.com","scope":"Namespaced","names":{"kind":"Widget","plural":"widgets"},
         "versions":[{"name":"v1","served":true,"storage":true,"selectableFields":[{"jsonPath":".spec.color"}]}]}}
        """)
        let type = try #require(ResourceCatalogue.customResource(fromCRD: crd).first)
        #expect(type.selectableFields == ["spec.color"])
        #expect(try rejection(type, "spec.color=red,metadata.namespace=a") == nil)
        #expect(try rejection(type, "spec.size=1") == "field label not supported: spec.size")
        #expect(try selects(type, "spec.color=red", #"{"metadata":{"name":"w"},"spec":{"color":"red"}}"#))

        var cluster = type
        cluster.namespaced = false
        cluster.selectableFields = []
        #expect(try rejection(cluster, "metadata.namespace=a") == "field label not supported: metadata.namespace")
    }
}
