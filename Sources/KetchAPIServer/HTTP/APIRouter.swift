import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdWebSocket
import KubeCore
import Logging
import NIOCore

/// Routes every request: health and version, discovery and OpenAPI, OIDC documents, and the
/// API resources — after authentication and authorization, as kube-apiserver's filter chain.
struct APIRouter: Sendable {
    let store: RegistryObjectStore
    let registry: ResourceRegistry
    let authenticator: Authenticator
    let authorizer: Authorizer
    let resources: ResourceHandler
    let watches: WatchHandler
    let discovery: DiscoveryHandler
    let kubelet: KubeletRoutes?
    let tokens: TokenRequestHandler?
    let reviews: ReviewHandler
    let anonymousAuth: Bool
    let logger: Logger

    /// The Hummingbird router with every route.
    func build() -> Router<KubeRequestContext> {
        let router = Router(context: KubeRequestContext.self)
        router.add(middleware: KubeErrorMiddleware())
        router.add(middleware: AuthMiddleware(authenticator: authenticator, authorizer: authorizer,
                                              registry: registry, anonymousAuth: anonymousAuth))
        let health = HealthChecks(backend: store.backend)
        for name in ["healthz", "livez", "readyz"] {
            router.get(RouterPath(stringLiteral: "/" + name)) { request, context in
                await health.respond(name, request, query: context.parsed(request).query)
            }
            router.get(RouterPath(stringLiteral: "/" + name + "/**")) { request, context in
                await health.respond(name, request, query: context.parsed(request).query)
            }
        }
        router.get("/version") { _, _ in KubeResponses.json(KubernetesVersion.info) }
        let discovery = self.discovery
        router.get("/api") { request, _ in discovery.core(request) }
        router.get("/apis") { request, _ in discovery.groups(request) }
        router.get("/openapi/v2") { request, _ in discovery.openAPIV2(request) }
        router.get("/openapi/v3") { _, _ in discovery.openAPIV3Index() }
        router.get("/openapi/v3/**") { request, _ in try discovery.openAPIV3(path: request.uri.path) }
        if let tokens {
            router.get("/.well-known/openid-configuration") { _, _ in tokens.openIDConfiguration() }
            router.get("/openid/v1/jwks") { _, _ in tokens.jwks() }
        }
        let handler = self
        for method in [HTTPRequest.Method.get, .post, .put, .patch, .delete] {
            router.on("/api/**", method: method) { request, context in try await handler.api(request, context) }
            router.on("/apis/**", method: method) { request, context in try await handler.api(request, context) }
        }
        return router
    }

    /// `kubectl exec` (kubectl < 1.31) and `kubectl port-forward` (kubectl < 1.30) over SPDY/3.1,
    /// for the upgrade in `KubeHTTP1Channel`: authenticated and authorized by the same
    /// middleware as every request.
    func spdyExecTarget(head: HTTPRequest, channel: any Channel) async throws -> SPDYUpgradeTarget? {
        guard let kubelet else { return nil }
        let auth = AuthMiddleware(authenticator: authenticator, authorizer: authorizer,
                                  registry: registry, anonymousAuth: anonymousAuth)
        return await kubelet.spdyExecTarget(head: head, channel: channel, auth: auth)
    }

    /// Everything under /api and /apis, with the request info the middleware parsed.
    func api(_ request: Request, _ context: KubeRequestContext) async throws -> Response {
        var request = request
        let (info, query) = context.parsed(request)
        if !info.isResourceRequest {
            return try discovery.groupOrVersion(info, request)
        }
        guard let type = registry.catalogue.lookup(group: info.apiGroup, version: info.apiVersion, plural: info.resource) else {
            throw KubeStatus.pathNotFound(info.path)
        }
        if MetricsHandler.serves(type) {
            return try await MetricsHandler(store: store).handle(request, info: info, type: type, query: query)
        }
        if info.verb == "watch" {
            return try watches.watch(request, info: info, type: type, query: query)
        }
        if type.group.isEmpty, type.plural == "pods", let sub = info.subresource, ["log", "exec", "attach", "portforward"].contains(sub) {
            guard let kubelet else { throw KubeStatus.pathNotFound(info.path) }
            if sub == "portforward", request.headers[.upgrade]?.lowercased() == "websocket" {
                // kubectl 1.30+: SPDY tunnelled through a WebSocket (`SPDY/3.1+portforward.k8s.io`).
                let upgrade = WebSocketUpgradeMiddleware<KubeRequestContext>(
                    shouldUpgrade: { request, context in try await kubelet.shouldUpgradePortForward(request, context) },
                    onUpgrade: { inbound, outbound, context in try await kubelet.portForward(inbound, outbound, context) })
                return try await upgrade.handle(request, context: context) { _, _ in Response(status: .notFound) }
            }
            if sub == "exec", request.headers[.upgrade]?.lowercased() == "websocket" {
                // The trie router cannot hold a WebSocket route beside `/api/**` (it does not
                // backtrack), so the upgrade is started here with the same middleware `ws()` uses.
                let upgrade = WebSocketUpgradeMiddleware<KubeRequestContext>(
                    shouldUpgrade: { request, context in try await kubelet.shouldUpgradeExec(request, context) },
                    onUpgrade: { inbound, outbound, context in try await kubelet.exec(inbound, outbound, context) })
                return try await upgrade.handle(request, context: context) { _, _ in Response(status: .notFound) }
            }
            return try await kubelet.podSubresource(request, info: info)
        }
        if type.group.isEmpty, type.plural == "serviceaccounts", info.subresource == "token", info.verb == "create" {
            guard let tokens else { throw KubeStatus.pathNotFound(info.path) }
            let body = try await request.collectBody(upTo: 3 * 1024 * 1024)
            return try await tokens.create(namespace: info.namespace ?? "default", name: info.name ?? "",
                                           body: Array(buffer: body), contentType: request.headers[.contentType], store: store)
        }
        if type.group.isEmpty, (type.plural == "pods" && info.subresource == "binding") || type.plural == "bindings" {
            // Create-only, stored nowhere: a Binding sets the pod's node.
            guard info.verb == "create", let namespace = info.namespace, type.plural == "pods" || info.name == nil else { throw KubeStatus.methodNotAllowed(info.verb, type) }
            let body = Array(buffer: try await request.collectBody(upTo: 3 * 1024 * 1024))
            return try await resources.bind(namespace: namespace, podName: type.plural == "pods" ? info.name : nil, query: query,
                                            body: body, contentType: request.headers[.contentType])
        }
        if ReviewHandler.serves(type) {
            guard info.verb == "create" else { throw KubeStatus.methodNotAllowed(info.verb, type) }
            let body = Array(buffer: try await request.collectBody(upTo: 3 * 1024 * 1024))
            return try reviews.create(type, namespace: info.namespace, user: context.user ?? Authenticator.anonymousUser,
                                      body: body, contentType: request.headers[.contentType])
        }
        let body: [UInt8]
        if ["create", "update", "patch", "delete", "deletecollection"].contains(info.verb) {
            body = Array(buffer: try await request.collectBody(upTo: 3 * 1024 * 1024))
        } else {
            body = []
        }
        return try await ResponseWarnings.collecting {
            try await resources.handle(request, info: info, type: type, query: query, body: body)
        }
    }
}

/// Authentication then authorization for every request.
struct AuthMiddleware: RouterMiddleware {
    typealias Context = KubeRequestContext
    let authenticator: Authenticator
    let authorizer: Authorizer
    let registry: ResourceRegistry
    let anonymousAuth: Bool

    func handle(_ request: Request, context: KubeRequestContext, next: (Request, KubeRequestContext) async throws -> Response) async throws -> Response {
        var context = context
        let info = context.parse(request).info
        let user: UserInfo
        switch await authenticator.authenticate(channel: context.channel, authorization: request.headers[.authorization]) {
        case .user(let u): user = u
        case .rejected: throw KubeStatus.unauthorized
        case .anonymous:
            guard anonymousAuth else { throw KubeStatus.unauthorized }
            user = Authenticator.anonymousUser
        }
        let effective = try impersonated(request, as: user)
        context.user = effective

        let attributes = RequestAttributes(
            user: effective, verb: info.verb, isResourceRequest: info.isResourceRequest, path: info.path,
            namespace: info.namespace, apiGroup: info.apiGroup, apiVersion: info.apiVersion,
            resource: info.resource, subresource: info.subresource, name: info.name)
        let decision = authorizer.authorize(attributes)
        if !decision.allowed {
            // Anonymous callers that are not allowed are told to authenticate.
            if user.name == Authenticator.anonymousUser.name { throw KubeStatus.unauthorized }
            let type = info.isResourceRequest
                ? registry.catalogue.lookup(group: info.apiGroup, version: info.apiVersion, plural: info.resource)
                    ?? ResourceType(group: info.apiGroup, version: info.apiVersion, kind: "", plural: info.resource, namespaced: info.namespace != nil)
                : nil
            throw KubeStatus.forbidden(user: effective.name, verb: info.verb, resource: type, resourceName: info.resource,
                                       subresource: info.subresource, namespace: info.namespace,
                                       name: info.name, path: info.path)
        }
        return try await next(request, context)
    }

    /// `Impersonate-User`/`Impersonate-Group` (`kubectl --as`, `--as-group`): the requester
    /// needs the `impersonate` verb on users and groups, as in kube-apiserver.
    func impersonated(_ request: Request, as requester: UserInfo) throws -> UserInfo {
        guard let name = request.headers[HTTPField.Name("Impersonate-User")!], !name.isEmpty else { return requester }
        let groups = request.headers[values: HTTPField.Name("Impersonate-Group")!]
        func check(_ resource: String, _ target: String) throws {
            let attributes = RequestAttributes(user: requester, verb: "impersonate", isResourceRequest: true, path: "",
                                               apiGroup: "", apiVersion: "v1", resource: resource, name: target)
            if !authorizer.authorize(attributes).allowed {
                throw KubeStatus(code: 403, reason: "Forbidden",
                                 message: "\(resource) \"\(target)\" is forbidden: User \"\(requester.name)\" cannot impersonate resource \"\(resource)\" in API group \"\" at the cluster scope",
                                 details: .object(["name": .string(target), "kind": .string(resource)]))
            }
        }
        try check("users", name)
        for group in groups { try check("groups", group) }
        var all = groups
        if name != "system:anonymous", !all.contains("system:authenticated") { all.append("system:authenticated") }
        return UserInfo(name: name, groups: all, uid: request.headers[HTTPField.Name("Impersonate-Uid")!])
    }
}

/// The version this shim reports, matching the Kubernetes release `ketch init` writes.
enum KubernetesVersion {
    static let gitVersion = "v1.33.4"

    static var info: JSONValue {
        .object([
            "major": .string("1"), "minor": .string("33"), "gitVersion": .string(gitVersion),
            "gitCommit": .string("74cdb426e5d7c8fb6a3c4a2d5fbd4e1b9b6b1c0e"), "gitTreeState": .string("clean"),
            "buildDate": .string("2025-08-12T00:00:00Z"), "goVersion": .string("go1.24.5"),
            "compiler": .string("gc"), "platform": .string("linux/amd64"),
            "emulationMajor": .string("1"), "emulationMinor": .string("33"),
            "minCompatibilityMajor": .string("1"), "minCompatibilityMinor": .string("32"),
        ])
    }
}
