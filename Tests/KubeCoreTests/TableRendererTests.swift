import Foundation
import Testing
@testable import KubeCore

struct TableRendererTests {
    let now = KubeTime.parse("2025-01-01T12:00:00Z")!

    func json(_ s: String) -> JSONValue { try! JSONValue(parsing: Data(s.utf8)) }
    func strings(_ a: [String]) -> [JSONValue] { a.map(JSONValue.string) }

    var runningPod: JSONValue {
        json("""
        {"apiVersion":"v1","kind":"Pod","metadata":{"name":"etcd-node1","namespace":"kube-system","creationTimestamp":"2025-01-01T11:55:00Z","labels":{"component":"etcd"}},
         "spec":{"nodeName":"node1","containers":[{"name":"etcd","image":"registry.k8s.io/etcd:3.5.21-0"}]},
         "status":{"phase":"Running","podIP":"10.0.0.5","podIPs":[{"ip":"10.0.0.5"}],
           "conditions":[{"type":"Ready","status":"True"}],
           "containerStatuses":[{"name":"etcd","ready":true,"restartCount":0,"state":{"running":{"startedAt":"2025-01-01T11:55:01Z"}}}]}}
        """)
    }

    @Test func podTable() throws {
        let table = TableRenderer.table(for: BuiltinResources.pods, objects: [runningPod], now: now,
                                        listMeta: .object(["resourceVersion": .string("42"), "continue": .string("")]))
        #expect(table["kind"] == .string("Table") && table["apiVersion"] == .string("meta.k8s.io/v1"))
        #expect(table["metadata"] == .object(["resourceVersion": .string("42")]))
        let cols = try #require(table["columnDefinitions"]?.array)
        #expect(cols.compactMap { $0["name"]?.string } == ["Name", "Ready", "Status", "Restarts", "Age", "IP", "Node", "Nominated Node", "Readiness Gates"])
        #expect(cols[0]["format"] == .string("name") && cols[5]["priority"] == .integer(1))
        let row = try #require(table["rows"]?.array?.first)
        #expect(row["cells"] == .array(strings(["etcd-node1", "1/1", "Running", "0", "5m", "10.0.0.5", "node1", "<none>", "<none>"])))
        #expect(row["object"]?["kind"] == .string("PartialObjectMetadata"))
        #expect(row["object"]?["apiVersion"] == .string("meta.k8s.io/v1"))
        #expect(row["object"]?["metadata"]?["name"] == .string("etcd-node1"))
        #expect(row["conditions"] == nil)
    }

    @Test func podStatuses() {
        func cells(_ s: String) -> [JSONValue] { TableRenderer.cells(for: BuiltinResources.pods, object: json(s), now: now) }
        // Waiting container with restarts: reason from the waiting state, "(Xm ago)" suffix.
        let crash = cells("""
        {"metadata":{"name":"p","creationTimestamp":"2025-01-01T11:00:00Z"},"spec":{"containers":[{"name":"a"}]},
         "status":{"phase":"Running","containerStatuses":[{"name":"a","ready":false,"restartCount":5,
           "state":{"waiting":{"reason":"CrashLoopBackOff"}},"lastState":{"terminated":{"exitCode":1,"finishedAt":"2025-01-01T11:58:00Z"}}}]}}
        """)
        #expect(Array(crash.prefix(5)) == strings(["p", "0/1", "CrashLoopBackOff", "5 (2m ago)", "60m"]))
        // Init container still running.
        let initing = cells("""
        {"metadata":{"name":"p"},"spec":{"initContainers":[{"name":"i"}],"containers":[{"name":"a"}]},
         "status":{"phase":"Pending","initContainerStatuses":[{"name":"i","restartCount":0,"state":{"running":{}}}],
           "containerStatuses":[{"name":"a","state":{"waiting":{"reason":"PodInitializing"}}}]}}
        """)
        #expect(Array(initing.prefix(5)) == strings(["p", "0/1", "Init:0/1", "0", "<unknown>"]))
        // Terminating.
        let terminating = cells("""
        {"metadata":{"name":"p","deletionTimestamp":"2025-01-01T11:59:00Z"},"spec":{"containers":[{"name":"a"}]},"status":{"phase":"Running"}}
        """)
        #expect(terminating[2] == .string("Terminating"))
        // Completed pods carry a row condition.
        let done = TableRenderer.table(for: BuiltinResources.pods, objects: [json(#"{"metadata":{"name":"x"},"status":{"phase":"Succeeded"}}"#)], now: now)
        #expect(done["rows"]?.array?.first?["conditions"]?.array?.first?["reason"] == .string("Succeeded"))
    }

    @Test func nodeTable() {
        let node = json("""
        {"metadata":{"name":"node1","creationTimestamp":"2025-01-01T10:00:00Z","labels":{"node-role.kubernetes.io/control-plane":"","kubernetes.io/hostname":"node1"}},
         "spec":{"unschedulable":true},
         "status":{"conditions":[{"type":"MemoryPressure","status":"False"},{"type":"Ready","status":"True"}],
           "addresses":[{"type":"InternalIP","address":"192.168.1.10"},{"type":"Hostname","address":"node1"}],
           "nodeInfo":{"kubeletVersion":"v1.33.1","osImage":"Ubuntu 24.04","kernelVersion":"6.8.0","containerRuntimeVersion":"containerd://2.0.0"}}}
        """)
        #expect(TableRenderer.cells(for: BuiltinResources.nodes, object: node, now: now) == strings([
            "node1", "Ready,SchedulingDisabled", "control-plane", "120m", "v1.33.1", "192.168.1.10", "<none>",
            "Ubuntu 24.04", "6.8.0", "containerd://2.0.0"]))
        let bare = json(#"{"metadata":{"name":"n2"}}"#)
        #expect(Array(TableRenderer.cells(for: BuiltinResources.nodes, object: bare, now: now).prefix(3)) == strings(["n2", "Unknown", "<none>"]))
    }

    @Test func namespaceConfigMapSecretServiceAccount() {
        let ns = json(#"{"metadata":{"name":"default","creationTimestamp":"2025-01-01T11:59:15Z"},"status":{"phase":"Active"}}"#)
        #expect(TableRenderer.cells(for: BuiltinResources.namespaces, object: ns, now: now) == strings(["default", "Active", "45s"]))
        let cm = json(#"{"metadata":{"name":"kube-root-ca.crt"},"data":{"ca.crt":"x"},"binaryData":{"b":"AA=="}}"#)
        #expect(TableRenderer.cells(for: BuiltinResources.configMaps, object: cm, now: now) == [.string("kube-root-ca.crt"), .integer(2), .string("<unknown>")])
        let secret = json(#"{"metadata":{"name":"s"},"type":"Opaque","data":{"a":"YQ=="}}"#)
        #expect(TableRenderer.cells(for: BuiltinResources.secrets, object: secret, now: now) == [.string("s"), .string("Opaque"), .integer(1), .string("<unknown>")])
        let sa = json(#"{"metadata":{"name":"default"}}"#)
        #expect(TableRenderer.cells(for: BuiltinResources.serviceAccounts, object: sa, now: now) == [.string("default"), .integer(0), .string("<unknown>")])
    }

    @Test func deploymentAndService() {
        let deploy = json("""
        {"metadata":{"name":"coredns","creationTimestamp":"2024-12-30T12:00:00Z"},
         "spec":{"replicas":2,"selector":{"matchLabels":{"k8s-app":"kube-dns"}},
           "template":{"spec":{"containers":[{"name":"coredns","image":"registry.k8s.io/coredns/coredns:v1.12.0"}]}}},
         "status":{"readyReplicas":2,"updatedReplicas":2,"availableReplicas":2}}
        """)
        #expect(TableRenderer.cells(for: BuiltinResources.deployments, object: deploy, now: now) == [
            .string("coredns"), .string("2/2"), .integer(2), .integer(2), .string("2d"),
            .string("coredns"), .string("registry.k8s.io/coredns/coredns:v1.12.0"), .string("k8s-app=kube-dns")])
        let svc = json("""
        {"metadata":{"name":"kubernetes","creationTimestamp":"2025-01-01T11:00:00Z"},
         "spec":{"type":"ClusterIP","clusterIP":"10.96.0.1","clusterIPs":["10.96.0.1"],"ports":[{"name":"https","port":443,"protocol":"TCP","targetPort":6443}]}}
        """)
        #expect(TableRenderer.cells(for: BuiltinResources.services, object: svc, now: now) == strings([
            "kubernetes", "ClusterIP", "10.96.0.1", "<none>", "443/TCP", "60m", "<none>"]))
        let np = json(#"{"metadata":{"name":"web"},"spec":{"type":"NodePort","clusterIPs":["10.96.5.5"],"selector":{"app":"web"},"ports":[{"port":80,"nodePort":30080,"protocol":"TCP"}]}}"#)
        #expect(TableRenderer.cells(for: BuiltinResources.services, object: np, now: now)[4] == .string("80:30080/TCP"))
        #expect(TableRenderer.cells(for: BuiltinResources.services, object: np, now: now)[6] == .string("app=web"))
    }

    @Test func eventsLeasesBindingsEndpoints() {
        let ev = json("""
        {"metadata":{"name":"p.1"},"type":"Normal","reason":"Scheduled","message":" Successfully assigned ",
         "involvedObject":{"kind":"Pod","name":"p"},"source":{"component":"default-scheduler"},
         "firstTimestamp":"2025-01-01T11:50:00Z","lastTimestamp":"2025-01-01T11:58:00Z","count":3}
        """)
        #expect(TableRenderer.cells(for: BuiltinResources.events, object: ev, now: now) == [
            .string("2m"), .string("Normal"), .string("Scheduled"), .string("pod/p"), .string(""), .string("default-scheduler"),
            .string("Successfully assigned"), .string("10m"), .integer(3), .string("p.1")])
        let evV1 = json("""
        {"metadata":{"name":"e"},"type":"Warning","reason":"Failed","note":"boom","regarding":{"kind":"Pod","name":"q"},
         "eventTime":"2025-01-01T11:59:00.000000Z","reportingController":"kubelet","reportingInstance":"node1"}
        """)
        let v1cells = TableRenderer.cells(for: BuiltinResources.eventsV1, object: evV1, now: now)
        #expect(v1cells == [.string("60s"), .string("Warning"), .string("Failed"), .string("pod/q"), .string(""),
                            .string("kubelet, node1"), .string("boom"), .string("60s"), .integer(1), .string("e")])

        let lease = json(#"{"metadata":{"name":"kube-scheduler"},"spec":{"holderIdentity":"node1_abc"}}"#)
        #expect(TableRenderer.cells(for: BuiltinResources.leases, object: lease, now: now) == strings(["kube-scheduler", "node1_abc", "<unknown>"]))

        let crb = json("""
        {"metadata":{"name":"kubeadm:node-proxier"},"roleRef":{"kind":"ClusterRole","name":"system:node-proxier"},
         "subjects":[{"kind":"ServiceAccount","name":"kube-proxy","namespace":"kube-system"},{"kind":"Group","name":"g1"}]}
        """)
        #expect(TableRenderer.cells(for: BuiltinResources.clusterRoleBindings, object: crb, now: now) == strings([
            "kubeadm:node-proxier", "ClusterRole/system:node-proxier", "<unknown>", "", "g1", "kube-system:kube-proxy"]))

        let ep = json(#"{"metadata":{"name":"kubernetes"},"subsets":[{"addresses":[{"ip":"192.168.1.10"}],"ports":[{"name":"https","port":6443,"protocol":"TCP"}]}]}"#)
        #expect(TableRenderer.cells(for: BuiltinResources.endpoints, object: ep, now: now)[1] == .string("192.168.1.10:6443"))
        let slice = json(#"{"metadata":{"name":"kubernetes"},"addressType":"IPv4","endpoints":[{"addresses":["192.168.1.10"]}],"ports":[{"name":"https","port":6443}]}"#)
        #expect(Array(TableRenderer.cells(for: BuiltinResources.endpointSlices, object: slice, now: now).prefix(4)) == strings(["kubernetes", "IPv4", "6443", "192.168.1.10"]))
    }

    @Test func defaultConvertorForRolesAndCRDs() {
        let role = json(#"{"metadata":{"name":"admin","creationTimestamp":"2025-01-01T10:00:00Z"}}"#)
        let table = TableRenderer.table(for: BuiltinResources.clusterRoles, objects: [role], now: now)
        #expect(table["columnDefinitions"]?.array?.compactMap { $0["name"]?.string } == ["Name", "Created At"])
        #expect(table["columnDefinitions"]?.array?[1]["type"] == .string("date"))
        #expect(table["rows"]?.array?.first?["cells"] == .array(strings(["admin", "2025-01-01T10:00:00Z"])))
        #expect(TableRenderer.columns(for: BuiltinResources.customResourceDefinitions).map(\.name) == ["Name", "Created At"])
    }

    @Test func priorityClassAndApiService() {
        let pc = json(#"{"metadata":{"name":"system-node-critical"},"value":2000001000,"preemptionPolicy":"PreemptLowerPriority"}"#)
        #expect(TableRenderer.cells(for: BuiltinResources.priorityClasses, object: pc, now: now) == [
            .string("system-node-critical"), .integer(2000001000), .bool(false), .string("<unknown>"), .string("PreemptLowerPriority")])
        let apis = json(#"{"metadata":{"name":"v1.apps"},"spec":{"group":"apps"},"status":{"conditions":[{"type":"Available","status":"True","reason":"Local"}]}}"#)
        #expect(TableRenderer.cells(for: BuiltinResources.apiServices, object: apis, now: now) == strings(["v1.apps", "Local", "True", "<unknown>"]))
    }

    @Test func customResourceColumns() throws {
        let widget = try #require(ResourceCatalogue.customResource(fromCRD: CatalogueTests.widgetCRD).last)
        let obj = json("""
        {"apiVersion":"example.com/v1","kind":"Widget","metadata":{"name":"w1","creationTimestamp":"2025-01-01T11:00:00Z"},
         "spec":{"replicas":3},"status":{"conditions":[{"type":"Synced","status":"True"},{"type":"Ready","status":"False"}]}}
        """)
        let table = TableRenderer.table(for: widget, objects: [obj], includeObject: .object, now: now)
        #expect(table["columnDefinitions"]?.array?.compactMap { $0["name"]?.string } == ["Name", "Replicas", "Ready", "Age"])
        #expect(table["columnDefinitions"]?.array?[3]["type"] == .string("date"))
        let row = try #require(table["rows"]?.array?.first)
        #expect(row["cells"] == .array([.string("w1"), .integer(3), .string("False"), .string("60m")]))
        #expect(row["object"]?["kind"] == .string("Widget"))

        let missing = TableRenderer.cells(for: widget, object: json(#"{"metadata":{"name":"w2"}}"#), now: now)
        #expect(missing == [.string("w2"), .null, .null, .null])
        let v1beta1 = try #require(ResourceCatalogue.customResource(fromCRD: CatalogueTests.widgetCRD).first)
        #expect(TableRenderer.cells(for: v1beta1, object: obj, now: now) == strings(["w1", "60m"]))
    }

    @Test func includeObjectNoneAndWatch() throws {
        let none = TableRenderer.table(for: BuiltinResources.pods, objects: [runningPod], includeObject: .none, now: now)
        #expect(none["rows"]?.array?.first?["object"] == nil)
        #expect(IncludeObject(queryValue: nil) == .metadata)
        #expect(IncludeObject(queryValue: "Object") == .object)
        #expect(IncludeObject(queryValue: "bogus") == nil)

        var pod = runningPod
        pod["metadata"]?["resourceVersion"] = .string("77")
        let event = TableRenderer.watchEventTable(for: BuiltinResources.pods, object: pod, now: now)
        #expect(event["metadata"] == .object(["resourceVersion": .string("77")]))
        #expect(event["columnDefinitions"]?.array?.count == 9)
        #expect(event["rows"]?.array?.count == 1)
    }

    @Test func jsonPathSubset() {
        let o = json(#"{"a":{"b.c":[{"k":"x","v":1},{"k":"y","v":2}]},"n":1.0}"#)
        #expect(TableJSONPath(".a['b.c'][1].v").first(in: o) == .integer(2))
        #expect(TableJSONPath("{.a['b.c'][?(@.k=='y')].v}").first(in: o) == .integer(2))
        #expect(TableJSONPath(".a['b.c'][?(@.k!='x')].k").first(in: o) == .string("y"))
        #expect(TableJSONPath(".a['b.c'][*].k").first(in: o) == .string("x"))
        #expect(TableJSONPath(".missing.x").first(in: o) == nil)
        #expect(CustomResourcePrinter.text(.number(1.0)) == "1")
    }

    @Test func labelSelectorFormatting() {
        let sel = json(#"{"matchLabels":{"b":"2","a":"1"},"matchExpressions":[{"key":"c","operator":"In","values":["y","x"]},{"key":"a0","operator":"Exists"}]}"#)
        #expect(TableFormat.selectorString(sel) == "a=1,a0,b=2,c in (x,y)")
        #expect(TableFormat.labelSelector(nil) == "<none>")
        #expect(TableFormat.labelSelector(.object([:])) == "<none>")
    }
}
