import Foundation
import Hummingbird
import KubeCore

/// Discovery (`/api`, `/apis`, `/apis/<group>`, `/api[s]/…/<version>`), aggregated when the
/// client asks for `as=APIGroupDiscoveryList`, and the OpenAPI documents.
struct DiscoveryHandler: Sendable {
    let registry: ResourceRegistry
    /// `host:port` clients reach the server at, for `serverAddressByClientCIDRs`.
    let serverAddress: String

    /// `GET /api`.
    func core(_ request: Request) -> Response {
        let catalogue = registry.catalogue
        if let version = AggregatedDiscovery.requestedVersion(accept: request.headers[.accept] ?? "") {
            return aggregated(AggregatedDiscovery.groupDiscoveryList(catalogue, legacy: true, version: version), version)
        }
        return KubeResponses.json(LegacyDiscovery.apiVersions(serverAddress: serverAddress))
    }

    /// `GET /apis`.
    func groups(_ request: Request) -> Response {
        let catalogue = registry.catalogue
        if let version = AggregatedDiscovery.requestedVersion(accept: request.headers[.accept] ?? "") {
            return aggregated(AggregatedDiscovery.groupDiscoveryList(catalogue, legacy: false, version: version), version)
        }
        return KubeResponses.json(LegacyDiscovery.apiGroupList(catalogue))
    }

    /// `GET /apis/<group>` and `GET /api[s]/[<group>/]<version>`.
    func groupOrVersion(_ info: RequestInfo, _ request: Request) throws -> Response {
        let catalogue = registry.catalogue
        let parts = info.path.split(separator: "/").map(String.init)
        guard request.method == .get else { throw KubeStatus.methodNotAllowed(request.method.rawValue) }
        if parts.first == "api", parts.count == 2,
           let list = LegacyDiscovery.apiResourceList(catalogue, group: "", version: parts[1]) {
            return KubeResponses.json(list)
        }
        if parts.first == "apis", parts.count == 2, let group = LegacyDiscovery.apiGroup(catalogue, name: parts[1]) {
            return KubeResponses.json(group)
        }
        if parts.first == "apis", parts.count == 3,
           let list = LegacyDiscovery.apiResourceList(catalogue, group: parts[1], version: parts[2]) {
            return KubeResponses.json(list)
        }
        throw KubeStatus.pathNotFound(info.path)
    }

    private func aggregated(_ body: JSONValue, _ version: AggregatedDiscovery.Version) -> Response {
        let data = (try? body.encoded()) ?? Data()
        return KubeResponses.bytes(Array(data), contentType: "application/json;g=apidiscovery.k8s.io;v=\(version.rawValue);as=APIGroupDiscoveryList")
    }

    /// `GET /openapi/v2`: protobuf when asked for (kubectl asks), JSON otherwise.
    func openAPIV2(_ request: Request) -> Response {
        let accept = request.headers[.accept] ?? ""
        if accept.contains("com.github.proto-openapi.spec.v2") {
            // kube-apiserver answers with the `.v1.0` spelling: Go's mime parser rejects the `@` one.
            return KubeResponses.bytes(Array(OpenAPIV2.protobufDocument()),
                                       contentType: "application/com.github.proto-openapi.spec.v2.v1.0+protobuf")
        }
        return KubeResponses.json(OpenAPIV2.jsonDocument())
    }

    /// `GET /openapi/v3`: the index of group-version documents.
    func openAPIV3Index() -> Response {
        KubeResponses.json(OpenAPIV3.index(registry.catalogue))
    }

    /// `GET /openapi/v3/api/v1` and `/openapi/v3/apis/<group>/<version>`.
    func openAPIV3(path: String) throws -> Response {
        let parts = path.dropFirst("/openapi/v3/".count).split(separator: "/").map(String.init)
        let (group, version): (String, String)
        if parts.count == 2, parts[0] == "api" { (group, version) = ("", parts[1]) }
        else if parts.count == 3, parts[0] == "apis" { (group, version) = (parts[1], parts[2]) }
        else { throw KubeStatus.pathNotFound(path) }
        guard let document = OpenAPIV3.document(registry.catalogue, group: group, version: version) else {
            throw KubeStatus.pathNotFound(path)
        }
        return KubeResponses.json(document)
    }
}
