import Foundation
import HTTPTypes
import Hummingbird
import KubeCore
import Logging
import NIOCore
import Testing
@testable import KetchAPIServer

/// The requests kube-controller-manager, kube-scheduler and a kubelet make besides bindings and
/// deletes: pod status writes, Events of both groups, Leases, field-selected lists and watches,
/// and a watch from a compacted resourceVersion.
@Suite struct ComponentWritePathTests {
    let pods = BuiltinResources.pods

    @Test func aPodsStatusIsWrittenThroughItsSubresourceOnly() async throws {
        let f = try await HandlerFixture()
        try await f.pod("p", spec: #""nodeName":"n1""#)
        var pod = try #require(try await f.get(pods, "p"))
        pod["status"] = JSONValue(json: #"{"phase":"Running","podIP":"10.244.0.9","conditions":[{"type":"Ready","status":"True"}]}"#)
        pod["spec"]?["nodeName"] = .string("elsewhere")
        let put = try await f.handler.update(pods, namespace: "default", name: "p", subresource: "status", query: RequestQuery(pairs: []),
                                             body: Array(try pod.encoded()), contentType: "application/json")
        #expect(put.status.code == 200)
        var stored = try #require(try await f.get(pods, "p"))
        #expect(stored["status"]?["phase"]?.string == "Running")
        #expect(stored["spec"]?["nodeName"]?.string == "n1")
        // The kubelet patches status with a strategic merge patch.
        let patch = #"{"status":{"phase":"Succeeded","conditions":[{"type":"Ready","status":"False"}]}}"#
        _ = try await f.handler.patch(pods, namespace: "default", name: "p", subresource: "status", query: RequestQuery(pairs: []),
                                      body: Array(patch.utf8), contentType: "application/strategic-merge-patch+json")
        stored = try #require(try await f.get(pods, "p"))
        #expect(stored["status"]?["phase"]?.string == "Succeeded")
        #expect(stored["status"]?["podIP"]?.string == "10.244.0.9")
        // The main resource ignores status.
        _ = try await f.handler.patch(pods, namespace: "default", name: "p", subresource: nil, query: RequestQuery(pairs: []),
                                      body: Array(#"{"status":{"phase":"Failed"}}"#.utf8), contentType: "application/merge-patch+json")
        #expect(try await f.get(pods, "p")?["status"]?["phase"]?.string == "Succeeded")
    }

    @Test func eventsOfBothGroupsAreCreated() async throws {
        let f = try await HandlerFixture(namespaces: ["default", "kube-system"])
        // client-go's record.EventRecorder (core/v1), as the controller-manager writes them.
        let core = try await f.create(BuiltinResources.events, #"""
            {"apiVersion":"v1","kind":"Event","metadata":{"name":"web-7d4b9.17f0a1b2c3d4e5f6","namespace":"default"},
             "involvedObject":{"kind":"ReplicaSet","namespace":"default","name":"web-7d4b9","uid":"u","apiVersion":"apps/v1","resourceVersion":"12"},
             "reason":"SuccessfulCreate","message":"Created pod: web-7d4b9-abcde","source":{"component":"replicaset-controller"},
             "firstTimestamp":"2025-01-01T00:00:00Z","lastTimestamp":"2025-01-01T00:00:00Z","count":1,"type":"Normal",
             "eventTime":null,"reportingComponent":"replicaset-controller","reportingInstance":""}
            """#)
        #expect(core["reason"]?.string == "SuccessfulCreate")
        // k8s.io/client-go/tools/events (events.k8s.io/v1), as kube-scheduler writes them.
        let scheduled = try await f.create(BuiltinResources.eventsV1, #"""
            {"apiVersion":"events.k8s.io/v1","kind":"Event","metadata":{"name":"p.17f0a1b2c3d4e5f7","namespace":"default"},
             "eventTime":"2025-01-01T00:00:00.123456Z","reportingController":"default-scheduler","reportingInstance":"default-scheduler-vm",
             "action":"Binding","reason":"Scheduled","regarding":{"kind":"Pod","namespace":"default","name":"p","uid":"u","apiVersion":"v1"},
             "note":"Successfully assigned default/p to vm","type":"Normal"}
            """#)
        #expect(scheduled["reason"]?.string == "Scheduled")
    }

    @Test func leasesAreCreatedAndRenewed() async throws {
        let f = try await HandlerFixture(namespaces: ["kube-system", "kube-node-lease"])
        let leases = BuiltinResources.leases
        for (namespace, name) in [("kube-system", "kube-controller-manager"), ("kube-node-lease", "vm")] {
            var lease = try await f.create(leases, namespace: namespace, #"""
                {"apiVersion":"coordination.k8s.io/v1","kind":"Lease","metadata":{"name":"\#(name)"},
                 "spec":{"holderIdentity":"vm_1","leaseDurationSeconds":15,"acquireTime":"2025-01-01T00:00:00.000000Z","renewTime":"2025-01-01T00:00:00.000000Z","leaseTransitions":0}}
                """#)
            lease["spec"]?["renewTime"] = .string("2025-01-01T00:00:02.000000Z")
            let put = try await f.handler.update(leases, namespace: namespace, name: name, subresource: nil, query: RequestQuery(pairs: []),
                                                 body: Array(try lease.encoded()), contentType: "application/json")
            #expect(put.status.code == 200)
            #expect(try await f.get(leases, name, namespace: namespace)?["spec"]?["renewTime"]?.string == "2025-01-01T00:00:02.000000Z")
            // A stale renewal (another holder won meanwhile) is a conflict.
            let stale = await f.status {
                _ = try await f.handler.update(leases, namespace: namespace, name: name, subresource: nil, query: RequestQuery(pairs: []),
                                               body: Array(try lease.encoded()), contentType: "application/json")
            }
            #expect(stale?.code == 409)
        }
    }

    @Test func podsListByNodeAndPhase() async throws {
        let f = try await HandlerFixture()
        try await f.pod("a", spec: #""nodeName":"n1""#)
        try await f.pod("b", spec: #""nodeName":"n2""#)
        try await f.pod("c", spec: #""nodeName":"n1""#)
        var c = try #require(try await f.get(pods, "c"))
        c["status"]?["phase"] = .string("Succeeded")
        _ = try await f.handler.store.update(pods, c)
        let query = RequestQuery(raw: "fieldSelector=" + "spec.nodeName=n1,status.phase!=Succeeded".addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)
        let response = try await f.handler.list(pods, namespace: nil, query: query, shape: .object)
        let list = try await HandlerFixture.json(response)
        #expect((list["items"]?.array ?? []).compactMap { $0["metadata"]?["name"]?.string } == ["a"])
    }

    static func watchRequest(_ path: String) -> Request {
        Request(head: HTTPRequest(method: .get, scheme: "https", authority: "apiserver", path: path), body: RequestBody(buffer: ByteBuffer()))
    }

    /// The first `count` events of a watch response (or all, if it ends first).
    static func events(_ response: Response, count: Int) async throws -> [JSONValue] {
        let lines = LineCollector(limit: count)
        do { try await response.body.write(lines) } catch is LineCollector.Enough {}
        return lines.lines
    }

    @Test func aWatchBySpecNodeNameSeesPodsBoundToTheNode() async throws {
        let f = try await HandlerFixture()
        let start = try await f.handler.store.backend.currentRevision()
        try await f.pod("a")
        try await f.pod("b", spec: #""nodeName":"n2""#)
        _ = try await f.handler.bind(namespace: "default", podName: "a", query: RequestQuery(pairs: []),
                                     body: PodBindingTests.binding("a", node: "n1"), contentType: "application/json")
        _ = try await f.delete(pods, "a")
        let path = "/api/v1/pods?watch=1&timeoutSeconds=60&resourceVersion=\(start)&fieldSelector=spec.nodeName%3Dn1"
        let watches = WatchHandler(store: f.handler.store, logger: Logger(label: "test"))
        let query = RequestQuery(raw: String(path.split(separator: "?")[1]))
        let info = RequestInfo(method: "GET", path: "/api/v1/pods", query: query.first)
        let response = try watches.watch(Self.watchRequest(path), info: info, type: pods, query: query)
        let events = try await Self.events(response, count: 2)
        #expect(events.map { $0["type"]?.string ?? "" } == ["ADDED", "MODIFIED"])
        #expect(events.allSatisfy { $0["object"]?["metadata"]?["name"]?.string == "a" })
        #expect(events.last?["object"]?["metadata"]?["deletionGracePeriodSeconds"]?.int == 30)
    }

    @Test func aWatchFromACompactedVersionEndsWith410() async throws {
        let f = try await HandlerFixture()
        for name in ["x", "y", "z"] { try await f.pod(name) }
        let now = try await f.handler.store.backend.currentRevision()
        f.backend.compact(now)
        let path = "/api/v1/namespaces/default/pods?watch=1&resourceVersion=1"
        let query = RequestQuery(raw: "watch=1&resourceVersion=1")
        let info = RequestInfo(method: "GET", path: "/api/v1/namespaces/default/pods", query: query.first)
        let response = try WatchHandler(store: f.handler.store, logger: Logger(label: "test"))
            .watch(Self.watchRequest(path), info: info, type: pods, query: query)
        let events = try await Self.events(response, count: 5)
        #expect(events.count == 1)
        #expect(events.first?["type"]?.string == "ERROR")
        #expect(events.first?["object"]?["code"]?.int == 410)
        #expect(events.first?["object"]?["reason"]?.string == "Expired")
    }
}

/// Splits a streamed body into JSON lines and stops the stream after `limit` of them.
private final class LineCollector: ResponseBodyWriter, @unchecked Sendable {
    struct Enough: Error {}
    let limit: Int
    var pending: [UInt8] = []
    var lines: [JSONValue] = []

    init(limit: Int) { self.limit = limit }

    func write(_ part: ByteBuffer) async throws {
        pending.append(contentsOf: part.readableBytesView)
        while let newline = pending.firstIndex(of: UInt8(ascii: "\n")) {
            lines.append(try JSONValue(parsing: Data(pending[..<newline])))
            pending.removeSubrange(...newline)
            if lines.count >= limit { throw Enough() }
        }
    }

    func finish(_ trailingHeaders: HTTPFields?) async throws {}
}
