import Foundation
import KubeCore
import Testing
@testable import KetchAPIServer

/// DELETE of pods through the handler: a pod on a node gets a grace period and stays until the
/// kubelet deletes it with grace 0; an unbound or finished pod goes at once.
@Suite struct GracefulPodDeletionTests {
    let pods = BuiltinResources.pods

    @Test func aBoundPodTerminatesThenTheKubeletRemovesIt() async throws {
        let f = try await HandlerFixture()
        try await f.pod("web", spec: #""nodeName":"n1""#)
        let start = Date()
        let first = try await f.delete(pods, "web")
        #expect(first.code == 200)
        #expect(first.body["kind"]?.string == "Pod")
        #expect(first.body["metadata"]?["deletionGracePeriodSeconds"]?.int == 30)
        let deadline = try #require(KubeTime.parse(first.body["metadata"]?["deletionTimestamp"]?.string ?? ""))
        #expect(abs(deadline.timeIntervalSince(start) - 30) < 3)
        let stored = try #require(try await f.get(pods, "web"))
        #expect(stored["metadata"]?["deletionTimestamp"] == first.body["metadata"]?["deletionTimestamp"])

        // Deleting again without a period changes nothing and answers with the pod.
        let again = try await f.delete(pods, "web")
        #expect(again.code == 200 && again.body["metadata"]?["deletionGracePeriodSeconds"]?.int == 30)
        #expect(try await f.get(pods, "web")?["metadata"]?["resourceVersion"] == stored["metadata"]?["resourceVersion"])

        // A shorter period moves the deadline earlier.
        let shorter = try await f.delete(pods, "web", options: #"{"gracePeriodSeconds":10}"#)
        #expect(shorter.body["metadata"]?["deletionGracePeriodSeconds"]?.int == 10)
        let moved = try #require(KubeTime.parse(shorter.body["metadata"]?["deletionTimestamp"]?.string ?? ""))
        #expect(deadline.timeIntervalSince(moved) == 20)

        // The kubelet's status writes meanwhile keep the pod.
        var status = try #require(try await f.get(pods, "web"))
        status["status"] = JSONValue(json: #"{"phase":"Running","podIP":"10.244.0.5"}"#)
        _ = try await f.handler.update(pods, namespace: "default", name: "web", subresource: "status", query: RequestQuery(pairs: []),
                                       body: Array(try status.encoded()), contentType: "application/json")
        #expect(try await f.get(pods, "web")?["status"]?["podIP"]?.string == "10.244.0.5")

        // The kubelet's grace-0 delete removes it and answers with the pod.
        let last = try await f.delete(pods, "web", options: #"{"gracePeriodSeconds":0}"#)
        #expect(last.code == 200 && last.body["kind"]?.string == "Pod")
        #expect(try await f.get(pods, "web") == nil)
    }

    @Test func unboundAndFinishedPodsGoAtOnce() async throws {
        let f = try await HandlerFixture()
        try await f.pod("pending")
        try await f.pod("done", spec: #""nodeName":"n1""#)
        var done = try #require(try await f.get(pods, "done"))
        done["status"] = JSONValue(json: #"{"phase":"Succeeded"}"#)
        _ = try await f.handler.store.update(pods, done)
        try await f.pod("forced", spec: #""nodeName":"n1""#)
        for (name, options) in [("pending", ""), ("done", ""), ("forced", #"{"gracePeriodSeconds":0}"#)] {
            let answer = try await f.delete(pods, name, options: options)
            #expect(answer.code == 200 && answer.body["metadata"]?["name"]?.string == name, "\(name)")
            #expect(try await f.get(pods, name) == nil, "\(name)")
        }
        let missing = await f.status { _ = try await f.delete(pods, "pending") }
        #expect(missing?.code == 404)
    }

    @Test func finalizersHoldAPodPastItsGracePeriod() async throws {
        let f = try await HandlerFixture()
        try await f.pod("held", spec: #""nodeName":"n1""#, metadata: #""finalizers":["example.com/hold"]"#)
        let answer = try await f.delete(pods, "held", options: #"{"gracePeriodSeconds":0}"#)
        #expect(answer.code == 200 && answer.body["metadata"]?["deletionGracePeriodSeconds"]?.int == 0)
        let held = try #require(try await f.get(pods, "held"))
        #expect(held["metadata"]?["deletionTimestamp"] != nil)
        // Taking the finalizer off removes it.
        _ = try await f.handler.patch(pods, namespace: "default", name: "held", subresource: nil, query: RequestQuery(pairs: []),
                                      body: Array(#"{"metadata":{"finalizers":null}}"#.utf8), contentType: "application/merge-patch+json")
        #expect(try await f.get(pods, "held") == nil)
    }

    @Test func deleteCollectionDeletesEachPodAsADeleteWould() async throws {
        let f = try await HandlerFixture()
        try await f.pod("a", spec: #""nodeName":"n1""#, metadata: #""labels":{"app":"x"}"#)
        try await f.pod("b", metadata: #""labels":{"app":"x"}"#)
        try await f.pod("c", metadata: #""labels":{"app":"y"}"#)
        let response = try await f.handler.deleteCollection(pods, namespace: "default", query: RequestQuery(raw: "labelSelector=app%3Dx"), body: [])
        let list = try await HandlerFixture.json(response)
        #expect(Set((list["items"]?.array ?? []).compactMap { $0["metadata"]?["name"]?.string }) == ["a", "b"])
        #expect(try await f.get(pods, "a")?["metadata"]?["deletionGracePeriodSeconds"]?.int == 30)
        #expect(try await f.get(pods, "b") == nil)
        #expect(try await f.get(pods, "c") != nil)
        // With grace 0 the bound pod goes too.
        _ = try await f.handler.deleteCollection(pods, namespace: "default", query: RequestQuery(raw: "labelSelector=app%3Dx"),
                                                 body: Array(#"{"gracePeriodSeconds":0}"#.utf8))
        #expect(try await f.get(pods, "a") == nil)
    }

    @Test func dryRunWritesNothing() async throws {
        let f = try await HandlerFixture()
        try await f.pod("web", spec: #""nodeName":"n1""#)
        let before = try await f.get(pods, "web")
        let answer = try await f.delete(pods, "web", options: #"{"dryRun":["All"]}"#)
        #expect(answer.body["metadata"]?["deletionGracePeriodSeconds"]?.int == 30)
        #expect(try await f.get(pods, "web") == before)
    }
}
