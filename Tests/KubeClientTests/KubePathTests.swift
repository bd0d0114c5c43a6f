import Foundation
import KubeClient
import KubeCore
import Testing

/// URLs and response bodies as kube-apiserver has them.
@Suite struct KubePathTests {
    @Test func paths() {
        #expect(KubePath.collection(BuiltinResources.pods, namespace: "default") == "/api/v1/namespaces/default/pods")
        #expect(KubePath.collection(BuiltinResources.pods, namespace: nil) == "/api/v1/pods")
        #expect(KubePath.object(BuiltinResources.deployments, namespace: "ns", name: "web", subresource: "status")
                == "/apis/apps/v1/namespaces/ns/deployments/web/status")
        #expect(KubePath.object(BuiltinResources.nodes, namespace: "ignored", name: "n1") == "/api/v1/nodes/n1")
        #expect(KubePath.query([("labelSelector", "app in (a,b),!x"), ("watch", "1")])
                == "?labelSelector=app%20in%20%28a%2Cb%29%2C%21x&watch=1")
        #expect(KubePath.query([]) == "")
    }

    @Test func statusBodies() {
        let body = Data(#"{"kind":"Status","apiVersion":"v1","status":"Failure","message":"pods \"x\" not found","reason":"NotFound","code":404}"#.utf8)
        #expect(KubeResponse.status(code: 404, body: body) == KubeStatus(code: 404, reason: "NotFound", message: "pods \"x\" not found"))
        #expect(KubeResponse.status(code: 503, body: Data("upstream down\n".utf8))
                == KubeStatus(code: 503, reason: "ServiceUnavailable", message: "upstream down"))
    }

    @Test func listsFillInKind() throws {
        let json = try JSONValue(parsing: Data(#"{"kind":"PodList","metadata":{"resourceVersion":"42","continue":"t"},"items":[{"metadata":{"name":"a"}}]}"#.utf8))
        let list = KubeResponse.list(json, type: BuiltinResources.pods)
        #expect(list.resourceVersion == "42")
        #expect(list.continueToken == "t")
        #expect(list.items.first?["kind"] == .string("Pod"))
        #expect(list.items.first?["apiVersion"] == .string("v1"))
    }

    @Test func watchLinesAcrossChunks() throws {
        var decoder = KubeWatchDecoder(type: BuiltinResources.pods)
        let text = #"{"type":"ADDED","object":{"metadata":{"name":"a"}}}"# + "\n"
            + #"{"type":"BOOKMARK","object":{"kind":"Pod","metadata":{"resourceVersion":"9"}}}"# + "\n"
            + #"{"type":"ERROR","object":{"kind":"Status","code":410,"reason":"Expired","message":"too old resource version: 1 (5)"}}"#
        let bytes = Array(text.utf8)
        var events: [KubeWatchEvent] = []
        // Cut the body at awkward places, as TCP may.
        for chunk in [bytes[0..<10], bytes[10..<60], bytes[60...]] { events += try decoder.feed(chunk) }
        #expect(events.count == 2)
        if let last = try decoder.finish() { events.append(last) }
        guard events.count == 3, case .added(let pod) = events[0] else { Issue.record("got \(events)"); return }
        #expect(pod["kind"] == .string("Pod"))
        #expect(events[1] == .bookmark(resourceVersion: "9"))
        #expect(events[2] == .error(KubeStatus(code: 410, reason: "Expired", message: "too old resource version: 1 (5)")))
        #expect(throws: (any Error).self) { try decoder.feed(Array("{\"nope\":1}\n".utf8)) }
    }
}
