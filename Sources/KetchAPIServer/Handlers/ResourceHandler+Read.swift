import Hummingbird
import KubeCore

/// get and list.
extension ResourceHandler {
    /// One object, or its Scale for the `scale` subresource.
    func get(_ type: ResourceType, namespace: String?, name: String, subresource: String?, query: RequestQuery,
             shape: ResponseShape) async throws -> Response {
        // The watch cache parses a get's resourceVersion before looking the object up.
        do { _ = try ResourceVersionParameter.parse(query["resourceVersion"] ?? "") } catch {
            throw KubeStatus.resourceVersionRejected(error, by: .watchCache)
        }
        let object = try await fetch(type, namespace, name)
        if subresource == "scale" { return KubeResponses.json(ScaleSubresource.view(of: object)) }
        return KubeResponses.json(shape.render(object, type))
    }

    /// One page of a list, with the selectors applied and kube's paging metadata.
    func list(_ type: ResourceType, namespace: String?, query: RequestQuery, shape: ResponseShape) async throws -> Response {
        let filter = try ListRequest(query: query, type: type, verb: .list).filter
        let limit = Int(query["limit"] ?? "") ?? 0
        let page = try await store.list(type, namespace: namespace, options: .init(
            limit: max(limit, 0), continueToken: query["continue"], filter: filter))
        var listMeta: [String: JSONValue] = ["resourceVersion": .string(page.resourceVersion)]
        if let token = page.continueToken { listMeta["continue"] = .string(token) }
        if let remaining = page.remainingItemCount { listMeta["remainingItemCount"] = .integer(remaining) }
        return KubeResponses.json(shape.renderList(page.items, type, listMeta: .object(listMeta)))
    }
}
