import KubeCore

/// The options of a list, watch or deletecollection, checked in kube-apiserver's order: the
/// selectors parse (400), `ValidateListOptions` (422 `ListOptions.meta.k8s.io "" is invalid`),
/// the kind's field label conversion (400), then `resourceVersion` as the storage layer that
/// serves the request reads it (422 from the watch cache, 400 from etcd).
struct ListRequest: Sendable {
    /// The requests that take list options.
    enum Verb: Sendable {
        case list, watch, deleteCollection
    }

    /// The label and field selectors as one predicate; nil when there are none.
    let filter: (@Sendable (JSONValue) -> Bool)?
    /// The revision `resourceVersion` names; nil when absent, empty or "0".
    let resourceVersion: UInt64?

    /// Reads and checks the options of `query` for a request on `type`.
    init(query: RequestQuery, type: ResourceType, verb: Verb) throws {
        var labels: LabelSelector?
        var fields: FieldSelector?
        if let text = query["labelSelector"], !text.isEmpty {
            do { labels = try LabelSelector(parsing: text) } catch {
                throw KubeStatus.badRequest("unable to parse requirement: \(error)")
            }
        }
        if let text = query["fieldSelector"], !text.isEmpty {
            do { fields = try FieldSelector(parsing: text) } catch {
                throw KubeStatus.badRequest("invalid field selector: \(error)")
            }
        }
        let resourceVersion = query["resourceVersion"] ?? ""
        let match = query["resourceVersionMatch"] ?? ""
        let continueToken = query["continue"] ?? ""
        // The watch rules follow the `watch` parameter, as upstream's do: the legacy /watch/
        // path without it is validated as a list.
        if let invalid = ListOptionsValidation.check(.init(
            watch: Self.goBool(query["watch"]) ?? false, resourceVersion: resourceVersion,
            resourceVersionMatch: match, continueToken: continueToken,
            sendInitialEvents: Self.goBool(query["sendInitialEvents"]))) {
            throw invalid
        }
        // Every term goes through the kind's conversion before storage sees the selector.
        let rules = FieldLabels.of(type)
        if let parsed = fields {
            do { fields = try rules.convert(parsed) } catch {
                throw KubeStatus.badRequest(error.message)
            }
        }
        do {
            self.resourceVersion = try ResourceVersionParameter.parse(resourceVersion)
        } catch {
            throw KubeStatus.resourceVersionRejected(error, by: Self.reader(
                verb, query: query, resourceVersion: resourceVersion, match: match, continueToken: continueToken))
        }
        if labels == nil, fields == nil {
            filter = nil
            return
        }
        filter = { [labels, fields] object in
            if let labels {
                let map = (object["metadata"]?["labels"]?.object ?? [:]).compactMapValues(\.string)
                if !labels.matches(map) { return false }
            }
            if let fields, !rules.matches(fields, object) { return false }
            return true
        }
    }

    /// Which storage layer reads the resourceVersion first. Watches are the watch cache's;
    /// deletecollection lists in pages of 10000 (`deleteCollectionPageSize`) when the client
    /// gives no limit, so its list counts as a paged one.
    static func reader(_ verb: Verb, query: RequestQuery, resourceVersion: String, match: String,
                       continueToken: String) -> ResourceVersionParameter.Reader {
        var limit = Int(query["limit"] ?? "") ?? 0
        switch verb {
        case .watch: return .watchCache
        case .deleteCollection: if limit <= 0 { limit = 10000 }
        case .list: break
        }
        return ResourceVersionParameter.listReader(resourceVersion: resourceVersion, match: match,
                                                    limit: limit, continueToken: continueToken)
    }

    /// A boolean query parameter as apimachinery decodes one: absent is nil; "0" and "false"
    /// (any case) are false; anything else, even "", is true.
    static func goBool(_ text: String?) -> Bool? {
        guard let text else { return nil }
        return !(text == "0" || text.lowercased() == "false")
    }
}
