import Foundation
import KubeCore
import Testing
@testable import KetchAPIServer

/// `pods/{name}/binding` and `bindings`: the scheduler's one write, a compare-and-swap that
/// sets `spec.nodeName` and the PodScheduled condition once.
@Suite struct PodBindingTests {
    let pods = BuiltinResources.pods

    static func binding(_ pod: String, node: String, extra: String = "") -> [UInt8] {
        Array(#"{"apiVersion":"v1","kind":"Binding","metadata":{"name":"\#(pod)"\#(extra)},"target":{"kind":"Node","name":"\#(node)"}}"#.utf8)
    }

    func bind(_ f: HandlerFixture, _ pod: String, node: String, url: String? = nil, extra: String = "") async throws -> (Int, JSONValue) {
        let response = try await f.handler.bind(namespace: "default", podName: url, query: RequestQuery(pairs: []),
                                                body: Self.binding(pod, node: node, extra: extra), contentType: "application/json")
        return (Int(response.status.code), try await HandlerFixture.json(response))
    }

    @Test func bindingSetsTheNodeAndPodScheduled() async throws {
        let f = try await HandlerFixture()
        try await f.pod("p", metadata: #""annotations":{"a":"1"}"#)
        let (code, body) = try await bind(f, "p", node: "n1", url: "p", extra: #","annotations":{"b":"2"}"#)
        #expect(code == 201)
        #expect(body == JSONValue(json: #"{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Success","code":201}"#))
        let pod = try #require(try await f.get(pods, "p"))
        #expect(pod["spec"]?["nodeName"]?.string == "n1")
        #expect(pod["metadata"]?["annotations"] == JSONValue(json: #"{"a":"1","b":"2"}"#))
        let scheduled = try #require(pod["status"]?["conditions"]?.array?.first { $0["type"]?.string == "PodScheduled" })
        #expect(scheduled["status"]?.string == "True")
        #expect(scheduled["lastProbeTime"] == .null)
        #expect(KubeTime.parse(scheduled["lastTransitionTime"]?.string ?? "") != nil)
    }

    @Test func theLegacyBindingsResourceNamesThePodInTheBody() async throws {
        let f = try await HandlerFixture()
        try await f.pod("q")
        let (code, _) = try await bind(f, "q", node: "n2")
        #expect(code == 201)
        #expect(try await f.get(pods, "q")?["spec"]?["nodeName"]?.string == "n2")
    }

    @Test func aBoundPodCannotBeBoundAgain() async throws {
        let f = try await HandlerFixture()
        try await f.pod("p")
        _ = try await bind(f, "p", node: "n1", url: "p")
        let again = await f.status { _ = try await bind(f, "p", node: "n2", url: "p") }
        #expect(again == KubeStatus(code: 409, reason: "Conflict",
                                    message: #"Operation cannot be fulfilled on pods/binding "p": pod p is already assigned to node "n1""#,
                                    details: JSONValue(json: #"{"name":"p","kind":"pods/binding"}"#)))
        #expect(try await f.get(pods, "p")?["spec"]?["nodeName"]?.string == "n1")
    }

    @Test func concurrentBindsHaveOneWinner() async throws {
        let f = try await HandlerFixture()
        try await f.pod("race")
        let wins = await withTaskGroup(of: Bool.self) { group in
            for i in 0..<12 {
                group.addTask { (try? await bind(f, "race", node: "n\(i)", url: "race")) != nil }
            }
            return await group.reduce(0) { $0 + ($1 ? 1 : 0) }
        }
        #expect(wins == 1)
        let node = try #require(try await f.get(pods, "race")?["spec"]?["nodeName"]?.string)
        #expect(node.hasPrefix("n"))
    }

    @Test func refusals() async throws {
        let f = try await HandlerFixture()
        #expect(await f.status { _ = try await bind(f, "ghost", node: "n1", url: "ghost") }?.code == 404)
        try await f.pod("p")
        let mismatch = await f.status { _ = try await bind(f, "p", node: "n1", url: "other") }
        #expect(mismatch == KubeStatus.badRequest("name in URL does not match name in Binding object"))
        let noTarget = await f.status {
            _ = try await f.handler.bind(namespace: "default", podName: "p", query: RequestQuery(pairs: []),
                                         body: Array(#"{"metadata":{"name":"p"},"target":{"kind":"Pod"}}"#.utf8), contentType: "application/json")
        }
        #expect(noTarget == KubeStatus(code: 500, reason: "",
                                       message: #"[target.kind: Unsupported value: "Pod": supported values: "Node", "<empty>", target.name: Required value]"#))
        let wrongUID = await f.status { _ = try await bind(f, "p", node: "n1", url: "p", extra: #","uid":"nope""#) }
        #expect(wrongUID?.code == 409)
        #expect(wrongUID?.message.contains("Precondition failed: UID in precondition: nope") == true)
        // Gated and terminating pods are refused.
        try await f.pod("gated", spec: #""schedulingGates":[{"name":"example.com/wait"}]"#)
        #expect(await f.status { _ = try await bind(f, "gated", node: "n1", url: "gated") }?.message
            == #"Operation cannot be fulfilled on pods/binding "gated": pod gated has non-empty .spec.schedulingGates"#)
        try await f.pod("going", metadata: #""finalizers":["example.com/hold"]"#)
        _ = try await f.delete(pods, "going")
        #expect(await f.status { _ = try await bind(f, "going", node: "n1", url: "going") }?.message
            == #"Operation cannot be fulfilled on pods/binding "going": pod going is being deleted, cannot be assigned to a host"#)
        #expect(try await f.get(pods, "p")?["spec"]?["nodeName"] == nil)
    }
}
