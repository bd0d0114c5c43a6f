import Foundation
import Hummingbird
import KubeCore

/// `metrics.k8s.io/v1beta1`, answered as metrics-server 0.8 answers it behind kube-aggregator:
/// NodeMetrics and PodMetrics computed on each request from the stored Nodes and Pods
/// (``MetricsScrape``), so `kubectl top` works. Read-only: get and list; a watch gets
/// metrics-server's 405, other verbs the 405 of a route that does not exist.
struct MetricsHandler: Sendable {
    let store: RegistryObjectStore

    /// Whether `type` is one of the metrics resources this handler serves.
    static func serves(_ type: ResourceType) -> Bool {
        type == BuiltinResources.nodeMetrics || type == BuiltinResources.podMetrics
    }

    /// Serves one request on NodeMetrics or PodMetrics.
    func handle(_ request: Request, info: RequestInfo, type: ResourceType, query: RequestQuery) async throws -> Response {
        guard info.subresource == nil else { throw KubeStatus.pathNotFound(info.path) }
        let scrape = MetricsScrape()
        let shape = ResponseShape(accept: request.headers[.accept], includeObject: query["includeObject"])
        switch info.verb {
        case "get":
            guard let name = info.name else { throw KubeStatus.pathNotFound(info.path) }
            let item = type == BuiltinResources.nodeMetrics
                ? try await nodeMetrics(named: name, scrape)
                : try await podMetrics(namespace: info.namespace ?? "", name: name, scrape)
            return respond([item], single: true, type: type, shape: shape)
        case "list", "watch":
            // kube's list handler checks the options before it finds the storage cannot watch.
            let filter = try ListRequest(query: query, type: type, verb: info.verb == "watch" ? .watch : .list).filter
            if info.verb == "watch" {
                throw KubeStatus(code: 405, reason: "MethodNotAllowed",
                                 message: "watch is not supported on resources of kind \"\(type.qualifiedName)\"",
                                 details: .object(["group": .string(type.group), "kind": .string(type.plural)]))
            }
            let items = type == BuiltinResources.nodeMetrics
                ? try await nodeMetricsList(filter: filter, scrape)
                : try await podMetricsList(namespace: info.namespace, filter: filter, scrape)
            return respond(items, single: false, type: type, shape: shape)
        default:
            throw KubeStatus.methodNotAllowed(info.verb, type)
        }
    }

    /// The response in the shape asked for: objects, a list, or metrics-server's Table.
    private func respond(_ items: [JSONValue], single: Bool, type: ResourceType, shape: ResponseShape) -> Response {
        switch shape {
        case .table(let include):
            return KubeResponses.json(MetricsTable.table(items, includeObject: IncludeObject(queryValue: include) ?? .metadata))
        case .partialMetadata:
            if single, let item = items.first { return KubeResponses.json(ResponseShape.partial(item)) }
            return KubeResponses.json(ResponseShape.partialMetadata.renderList(items, type, listMeta: .object([:])))
        case .object:
            if single, let item = items.first { return KubeResponses.json(item) }
            return KubeResponses.json(MetricsScrape.list(kind: type.listKind, items: items))
        }
    }

    /// One node's metrics. metrics-server looks the node up in its informer first (client-go's
    /// lister words a miss `node "x" not found`), then in its scrapes.
    private func nodeMetrics(named name: String, _ scrape: MetricsScrape) async throws -> JSONValue {
        guard let node = try await store.get(BuiltinResources.nodes, namespace: nil, name: name) else {
            throw KubeStatus(code: 404, reason: "NotFound", message: "node \"\(name)\" not found",
                             details: .object(["name": .string(name), "kind": .string("node")]))
        }
        guard MetricsScrape.isReady(node) else { throw Self.noMetrics(BuiltinResources.nodeMetrics, name) }
        let pods = try await store.list(BuiltinResources.pods, namespace: nil).items
        return scrape.nodeMetrics(node, pods: pods)
    }

    /// Every selected Ready node's metrics, by name.
    private func nodeMetricsList(filter: (@Sendable (JSONValue) -> Bool)?, _ scrape: MetricsScrape) async throws -> [JSONValue] {
        let nodes = try await store.list(BuiltinResources.nodes, namespace: nil).items
            .filter { MetricsScrape.isReady($0) && (filter?($0) ?? true) }
        guard !nodes.isEmpty else { return [] }
        let pods = try await store.list(BuiltinResources.pods, namespace: nil).items
        return nodes.map { scrape.nodeMetrics($0, pods: pods) }.sorted { Self.name($0) < Self.name($1) }
    }

    /// One pod's metrics. metrics-server's pod informer holds only Running pods, so any other
    /// pod is `pods "x" not found`; a Running pod it has no scrape of (its node is not Ready) is
    /// `podmetrics.metrics.k8s.io "<namespace>/<name>" not found`.
    private func podMetrics(namespace: String, name: String, _ scrape: MetricsScrape) async throws -> JSONValue {
        guard let pod = try await store.get(BuiltinResources.pods, namespace: namespace, name: name),
              MetricsScrape.isRunning(pod) else {
            throw KubeStatus.notFound(BuiltinResources.pods, name: name)
        }
        let nodes = try await store.list(BuiltinResources.nodes, namespace: nil).items
        guard MetricsScrape.hasMetrics(pod, readyNodes: MetricsScrape.readyNodes(nodes)) else {
            throw Self.noMetrics(BuiltinResources.podMetrics, "\(namespace)/\(name)")
        }
        return scrape.podMetrics(pod)
    }

    /// The selected pods' metrics (of one namespace, or all), by namespace and name.
    private func podMetricsList(namespace: String?, filter: (@Sendable (JSONValue) -> Bool)?,
                                _ scrape: MetricsScrape) async throws -> [JSONValue] {
        let pods = try await store.list(BuiltinResources.pods, namespace: namespace).items
            .filter { MetricsScrape.isRunning($0) && (filter?($0) ?? true) }
        guard !pods.isEmpty else { return [] }
        let ready = MetricsScrape.readyNodes(try await store.list(BuiltinResources.nodes, namespace: nil).items)
        return pods.filter { MetricsScrape.hasMetrics($0, readyNodes: ready) }
            .map(scrape.podMetrics)
            .sorted { (Self.namespace($0), Self.name($0)) < (Self.namespace($1), Self.name($1)) }
    }

    /// metrics-server's 404 for an object it knows but has no scrape of (`errors.NewNotFound`
    /// with the `nodemetrics` or `podmetrics` group resource).
    private static func noMetrics(_ type: ResourceType, _ name: String) -> KubeStatus {
        let resource = type == BuiltinResources.nodeMetrics ? "nodemetrics" : "podmetrics"
        return KubeStatus(code: 404, reason: "NotFound", message: "\(resource).\(type.group) \"\(name)\" not found",
                          details: .object(["name": .string(name), "group": .string(type.group), "kind": .string(resource)]))
    }

    private static func name(_ item: JSONValue) -> String { item["metadata"]?["name"]?.string ?? "" }
    private static func namespace(_ item: JSONValue) -> String { item["metadata"]?["namespace"]?.string ?? "" }
}
