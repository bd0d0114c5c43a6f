import Foundation
import KubeCore
import Testing
@testable import KetchAPIServer

@Suite struct ListRequestTests {
    /// The status `ListRequest` throws for `query` on `type`, nil when it accepts it.
    private func status(_ query: String, _ type: ResourceType = BuiltinResources.pods,
                        _ verb: ListRequest.Verb = .list) -> KubeStatus? {
        do {
            _ = try ListRequest(query: RequestQuery(raw: query), type: type, verb: verb)
            return nil
        } catch let status as KubeStatus {
            return status
        } catch {
            Issue.record("unexpected \(error)")
            return nil
        }
    }

    @Test func unsupportedFieldLabelsAreBadRequests() throws {
        for verb in [ListRequest.Verb.list, .watch, .deleteCollection] {
            let pods = try #require(status("fieldSelector=foo%3Dbar", BuiltinResources.pods, verb))
            #expect(pods == KubeStatus(code: 400, reason: "BadRequest", message: "field label not supported: foo"))
            let cms = try #require(status("fieldSelector=foo%3Dbar", BuiltinResources.configMaps, verb))
            #expect(cms.message == #""foo" is not a known field selector: only "metadata.name", "metadata.namespace""#)
        }
        #expect(status("fieldSelector=status.phase%3DRunning%2Cspec.nodeName%3Dvm") == nil)
    }

    @Test func selectorsFilterWithTheKindsFieldSet() throws {
        let request = try ListRequest(query: RequestQuery(raw: "fieldSelector=spec.host%3Dvm,spec.hostNetwork%3Dfalse&labelSelector=app%3Dweb"),
                                      type: BuiltinResources.pods, verb: .list)
        let filter = try #require(request.filter)
        let pod = try JSONValue(parsing: Data(#"{"metadata":{"name":"p","labels":{"app":"web"}},"spec":{"nodeName":"vm"}}"#.utf8))
        #expect(filter(pod))
        let other = try JSONValue(parsing: Data(#"{"metadata":{"name":"p","labels":{"app":"db"}},"spec":{"nodeName":"vm"}}"#.utf8))
        #expect(!filter(other))
        #expect(try ListRequest(query: RequestQuery(raw: ""), type: BuiltinResources.pods, verb: .list).filter == nil)
    }

    @Test func unparsableResourceVersions() throws {
        let message = #"resourceVersion: Invalid value: "abc": strconv.ParseUint: parsing "abc": invalid syntax"#
        // Served by the watch cache: 422 Invalid.
        #expect(status("resourceVersion=abc") == KubeStatus(code: 422, reason: "Invalid", message: message))
        #expect(status("watch=1&resourceVersion=abc", BuiltinResources.pods, .watch)?.code == 422)
        // Handed to etcd (kubectl's limit=500, an Exact match, deletecollection's pages): 400.
        #expect(status("limit=500&resourceVersion=abc") == KubeStatus.badRequest("invalid resource version: " + message))
        #expect(status("resourceVersion=abc&resourceVersionMatch=Exact")?.code == 400)
        #expect(status("resourceVersion=abc", BuiltinResources.configMaps, .deleteCollection)?.code == 400)
        #expect(try ListRequest(query: RequestQuery(raw: "resourceVersion=12"), type: BuiltinResources.pods, verb: .watch)
                    .resourceVersion == 12)
    }

    @Test func checksRunInUpstreamsOrder() throws {
        // ValidateListOptions before the field label conversion, both before resourceVersion.
        let invalid = try #require(status("resourceVersionMatch=NotOlderThan&fieldSelector=foo%3D1"))
        #expect(invalid.code == 422 && invalid.message.hasPrefix(#"ListOptions.meta.k8s.io "" is invalid"#))
        #expect(status("fieldSelector=foo%3D1&resourceVersion=abc")?.message == "field label not supported: foo")
        #expect(status("labelSelector=a%20in%20(b&fieldSelector=foo%3D1")?.message.hasPrefix("unable to parse requirement") == true)
        // The watch rules follow the watch parameter.
        #expect(status("watch=true&resourceVersionMatch=NotOlderThan", BuiltinResources.pods, .watch)?.message
                == #"ListOptions.meta.k8s.io "" is invalid: resourceVersionMatch: Forbidden: resourceVersionMatch is forbidden for watch unless sendInitialEvents is provided"#)
        #expect(status("watch=true&sendInitialEvents=true&resourceVersionMatch=NotOlderThan", BuiltinResources.pods, .watch) == nil)
    }
}
