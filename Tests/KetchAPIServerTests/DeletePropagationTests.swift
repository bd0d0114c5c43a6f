import Foundation
import KubeCore
import Testing
@testable import KetchAPIServer

/// Garbage-collection propagation on DELETE: foreground and orphan leave the object with the
/// collector's finalizer and a deletionTimestamp; background deletes at once. Also the answers
/// kube-apiserver gives: the object while it stays, a Status once a ConfigMap is gone.
@Suite struct DeletePropagationTests {
    let cms = BuiltinResources.configMaps

    func configMap(_ f: HandlerFixture, _ name: String, finalizers: [String] = []) async throws {
        let list = finalizers.map { "\"\($0)\"" }.joined(separator: ",")
        try await f.create(cms, #"{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"\#(name)","finalizers":[\#(list)]}}"#)
    }

    @Test func foregroundWaitsForTheCollector() async throws {
        let f = try await HandlerFixture()
        try await configMap(f, "fg")
        let answer = try await f.delete(cms, "fg", options: #"{"propagationPolicy":"Foreground"}"#)
        #expect(answer.code == 200)
        #expect(answer.body["kind"]?.string == "ConfigMap")
        #expect(answer.body.finalizerNames == ["foregroundDeletion"])
        let stored = try #require(try await f.get(cms, "fg"))
        #expect(stored.finalizerNames == ["foregroundDeletion"])
        #expect(stored["metadata"]?["deletionGracePeriodSeconds"]?.int == 0)
        #expect(stored["metadata"]?["deletionTimestamp"]?.string != nil)
        // The collector removes its finalizer once the dependents are gone: the object goes.
        var released = stored
        released["metadata"]?["finalizers"] = .array([])
        let updated = try await f.handler.update(cms, namespace: "default", name: "fg", subresource: nil, query: RequestQuery(pairs: []),
                                                 body: Array(try released.encoded()), contentType: "application/json")
        #expect(updated.status.code == 200)
        #expect(try await f.get(cms, "fg") == nil)
    }

    @Test func orphanAddsTheOrphanFinalizer() async throws {
        let f = try await HandlerFixture()
        for name in ["by-policy", "by-flag"] { try await configMap(f, name) }
        _ = try await f.delete(cms, "by-policy", options: #"{"propagationPolicy":"Orphan"}"#)
        _ = try await f.delete(cms, "by-flag", query: "orphanDependents=true")
        for name in ["by-policy", "by-flag"] {
            #expect(try await f.get(cms, name)?.finalizerNames == ["orphan"], "\(name)")
        }
        // A ReplicationController orphans unless told otherwise.
        let rcs = BuiltinResources.replicationControllers
        try await f.create(rcs, #"{"apiVersion":"v1","kind":"ReplicationController","metadata":{"name":"rc"},"spec":{"replicas":1,"selector":{"app":"a"},"template":{"metadata":{"labels":{"app":"a"}},"spec":{"containers":[{"name":"c","image":"nginx"}]}}}}"#)
        _ = try await f.delete(rcs, "rc")
        let rc = try #require(try await f.get(rcs, "rc"))
        #expect(rc.finalizerNames == ["orphan"])
        #expect(rc["metadata"]?["generation"]?.int == 2)
    }

    @Test func backgroundDeletesAtOnceAndAnswersWithAStatus() async throws {
        let f = try await HandlerFixture()
        try await configMap(f, "bg")
        let uid = try #require(try await f.get(cms, "bg")?["metadata"]?["uid"]?.string)
        let answer = try await f.delete(cms, "bg", options: #"{"propagationPolicy":"Background"}"#)
        #expect(answer.code == 200)
        #expect(answer.body == JSONValue(json: #"{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Success","details":{"name":"bg","kind":"configmaps","uid":"\#(uid)"}}"#))
        #expect(try await f.get(cms, "bg") == nil)
    }

    @Test func otherFinalizersHoldTheObject() async throws {
        let f = try await HandlerFixture()
        try await configMap(f, "held", finalizers: ["example.com/hold"])
        // orphanDependents=false on an object that stays: 202 Accepted.
        let answer = try await f.delete(cms, "held", options: #"{"orphanDependents":false}"#)
        #expect(answer.code == 202)
        #expect(answer.body.finalizerNames == ["example.com/hold"])
        let held = try #require(try await f.get(cms, "held"))
        #expect(held["metadata"]?["deletionTimestamp"]?.string != nil)
        // A second DELETE changes nothing.
        let again = try await f.delete(cms, "held")
        #expect(again.code == 200 && again.body["metadata"]?["resourceVersion"] == held["metadata"]?["resourceVersion"])
        // Foreground can still be asked for: the collector's finalizer joins the other.
        _ = try await f.delete(cms, "held", options: #"{"propagationPolicy":"Foreground"}"#)
        #expect(try await f.get(cms, "held")?.finalizerNames == ["example.com/hold", "foregroundDeletion"])
    }

    @Test func foregroundBumpsAWorkloadsGeneration() async throws {
        let f = try await HandlerFixture()
        let deployments = BuiltinResources.deployments
        try await f.create(deployments, #"{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web"},"spec":{"replicas":1,"selector":{"matchLabels":{"app":"web"}},"template":{"metadata":{"labels":{"app":"web"}},"spec":{"containers":[{"name":"c","image":"nginx"}]}}}}"#)
        _ = try await f.delete(deployments, "web", options: #"{"propagationPolicy":"Foreground"}"#)
        let stored = try #require(try await f.get(deployments, "web"))
        #expect(stored.finalizerNames == ["foregroundDeletion"])
        #expect(stored["metadata"]?["generation"]?.int == 2)
    }

    @Test func badOptionsAndPreconditions() async throws {
        let f = try await HandlerFixture()
        try await configMap(f, "c")
        let both = await f.status { _ = try await f.delete(cms, "c", options: #"{"orphanDependents":true,"propagationPolicy":"Foreground"}"#) }
        #expect(both?.code == 422)
        #expect(both?.message == #"DeleteOptions.meta.k8s.io "" is invalid: propagationPolicy: Invalid value: "Foreground": orphanDependents and deletionPropagation cannot be both set"#)
        let unknown = await f.status { _ = try await f.delete(cms, "c", query: "propagationPolicy=Sideways") }
        #expect(unknown?.message == #"DeleteOptions.meta.k8s.io "" is invalid: propagationPolicy: Unsupported value: "Sideways": supported values: "Foreground", "Background", "Orphan", "nil""#)
        let stale = await f.status { _ = try await f.delete(cms, "c", options: #"{"preconditions":{"resourceVersion":"1"}}"#) }
        #expect(stale?.code == 409)
        #expect(stale?.message.hasPrefix(#"Operation cannot be fulfilled on ConfigMap "c": the ResourceVersion in the precondition (1) does not match"#) == true)
        #expect(try await f.get(cms, "c") != nil)
        let rv = try #require(try await f.get(cms, "c")?["metadata"]?["resourceVersion"]?.string)
        let ok = try await f.delete(cms, "c", options: #"{"preconditions":{"resourceVersion":"\#(rv)"}}"#)
        #expect(ok.code == 200 && ok.body["status"]?.string == "Success")
    }
}
