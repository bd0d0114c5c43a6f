import Foundation
import KubeCore
import Testing
@testable import KetchAPIServer

/// Namespaces through the handler as kube-apiserver serves them: created with the `kubernetes`
/// finalizer, Terminating after a DELETE, closed to new content, removed by `/finalize` once
/// nothing else holds them; the system namespaces cannot be deleted.
@Suite struct NamespaceLifecycleTests {
    let namespaces = BuiltinResources.namespaces
    let configMaps = BuiltinResources.configMaps

    /// PUT of `namespace` to `/api/v1/namespaces/<name>/finalize`.
    private func finalize(_ f: HandlerFixture, _ namespace: JSONValue) async throws -> JSONValue {
        let name = namespace["metadata"]?["name"]?.string ?? ""
        let response = try await f.handler.update(namespaces, namespace: nil, name: name, subresource: "finalize",
                                                  query: RequestQuery(pairs: []), body: Array(try namespace.encoded()),
                                                  contentType: "application/json")
        return try await HandlerFixture.json(response)
    }

    private func withSpecFinalizers(_ namespace: JSONValue, _ finalizers: [String]) -> JSONValue {
        var object = namespace
        object["spec"] = .object(["finalizers": .array(finalizers.map(JSONValue.string))])
        return object
    }

    @Test func deleteMarksTerminatingAndFinalizeRemoves() async throws {
        let f = try await HandlerFixture()
        let created = try await f.create(namespaces, namespace: nil, #"{"metadata":{"name":"doomed"},"spec":{"finalizers":["example.com/x"]},"status":{"phase":"Terminating"}}"#)
        #expect(created["spec"]?["finalizers"] == .array([.string("example.com/x"), .string("kubernetes")]))
        #expect(created["status"] == .object(["phase": .string("Active")]))
        #expect(created["metadata"]?["labels"]?["kubernetes.io/metadata.name"] == .string("doomed"))
        try await f.create(configMaps, namespace: "doomed", #"{"metadata":{"name":"kept"}}"#)

        let first = try await f.delete(namespaces, "doomed", namespace: nil, options: #"{"propagationPolicy":"Background"}"#)
        #expect(first.code == 200)
        #expect(first.body["status"]?["phase"] == .string("Terminating"))
        #expect(first.body["metadata"]?["deletionTimestamp"]?.string != nil)
        #expect(first.body["metadata"]?["deletionGracePeriodSeconds"] == nil)
        // Nothing is emptied by the apiserver: that is the namespace controller's work.
        #expect(try await f.get(configMaps, "kept", namespace: "doomed") != nil)

        // New content is refused in the plugin's words; generated names report their prefix.
        let refused = await f.status { try await f.create(configMaps, namespace: "doomed", #"{"metadata":{"generateName":"new-"}}"#) }
        #expect(refused?.code == 403 && refused?.reason == "Forbidden")
        #expect(refused?.message == #"configmaps "new-" is forbidden: unable to create new content in namespace doomed because it is being terminated"#)

        // A second DELETE answers with the namespace while spec.finalizers holds it.
        let second = try await f.delete(namespaces, "doomed", namespace: nil)
        #expect(second.code == 200 && second.body["metadata"]?["name"] == .string("doomed"))

        // An ordinary update cannot change spec.finalizers or the phase.
        var edit = try #require(try await f.get(namespaces, "doomed", namespace: nil))
        edit = withSpecFinalizers(edit, [])
        edit["status"] = .object(["phase": .string("Active")])
        edit["metadata"]?["labels"]?["team"] = .string("a")
        _ = try await f.handler.update(namespaces, namespace: nil, name: "doomed", subresource: nil, query: RequestQuery(pairs: []),
                                       body: Array(try edit.encoded()), contentType: "application/json")
        let afterEdit = try #require(try await f.get(namespaces, "doomed", namespace: nil))
        #expect(afterEdit["spec"]?["finalizers"]?.array?.count == 2 && afterEdit["status"]?["phase"] == .string("Terminating"))
        #expect(afterEdit["metadata"]?["labels"]?["team"] == .string("a"))

        // /finalize changes spec.finalizers (not the status); the last one removes the namespace.
        var status = withSpecFinalizers(afterEdit, ["example.com/x"])
        status["status"] = .object(["phase": .string("Active")])
        let partly = try await finalize(f, status)
        #expect(partly["spec"]?["finalizers"] == .array([.string("example.com/x")]))
        #expect(partly["status"]?["phase"] == .string("Terminating"))
        let last = try await finalize(f, withSpecFinalizers(try #require(try await f.get(namespaces, "doomed", namespace: nil)), []))
        #expect(last["metadata"]?["name"] == .string("doomed"))
        #expect(try await f.get(namespaces, "doomed", namespace: nil) == nil)
    }

    @Test func metadataFinalizersHoldTheNamespaceAfterFinalize() async throws {
        let f = try await HandlerFixture()
        try await f.create(namespaces, namespace: nil, #"{"metadata":{"name":"held","finalizers":["example.com/hold"]}}"#)
        let orphan = try await f.delete(namespaces, "held", namespace: nil, options: #"{"propagationPolicy":"Orphan"}"#)
        #expect(orphan.code == 200 && Set(orphan.body.finalizerNames) == ["example.com/hold", "orphan"])
        _ = try await finalize(f, withSpecFinalizers(try #require(try await f.get(namespaces, "held", namespace: nil)), []))
        var stored = try #require(try await f.get(namespaces, "held", namespace: nil))
        #expect(stored["status"]?["phase"] == .string("Terminating"))
        // With spec.finalizers empty, a DELETE is the generic one: still held by metadata.finalizers.
        let again = try await f.delete(namespaces, "held", namespace: nil)
        #expect(again.code == 200 && again.body["metadata"]?["deletionGracePeriodSeconds"] == .integer(0))
        // Taking the last metadata finalizer off removes it.
        stored = try #require(try await f.get(namespaces, "held", namespace: nil))
        stored["metadata"]?["finalizers"] = nil
        _ = try await f.handler.update(namespaces, namespace: nil, name: "held", subresource: nil, query: RequestQuery(pairs: []),
                                       body: Array(try stored.encoded()), contentType: "application/json")
        #expect(try await f.get(namespaces, "held", namespace: nil) == nil)
    }

    @Test func refusalsAndPreconditions() async throws {
        let f = try await HandlerFixture(namespaces: ["default", "kube-system", "kube-public", "kube-node-lease"])
        for name in ["default", "kube-system", "kube-public"] {
            let refused = await f.status { _ = try await f.delete(namespaces, name, namespace: nil) }
            #expect(refused?.code == 403, "\(name)")
            #expect(refused?.message == "namespaces \"\(name)\" is forbidden: this namespace may not be deleted")
        }
        let missing = await f.status { _ = try await f.delete(namespaces, "nope", namespace: nil) }
        #expect(missing?.code == 404)

        let created = try await f.create(namespaces, namespace: nil, #"{"metadata":{"name":"p"}}"#)
        let wrongUID = await f.status {
            _ = try await f.delete(namespaces, "p", namespace: nil, options: #"{"preconditions":{"uid":"other"}}"#)
        }
        #expect(wrongUID?.code == 409)
        let dry = try await f.delete(namespaces, "p", namespace: nil, query: "dryRun=All")
        #expect(dry.body["status"]?["phase"] == .string("Terminating"))
        #expect(try await f.get(namespaces, "p", namespace: nil)?["status"]?["phase"] == .string("Active"))

        let invalid = await f.status { _ = try await finalize(f, withSpecFinalizers(created, ["bogus"])) }
        #expect(invalid?.code == 422)
        #expect(invalid?.message == #"Namespace "p" is invalid: spec.finalizers[0]: Invalid value: "bogus": name is neither a standard finalizer name nor is it fully qualified"#)
    }
}
