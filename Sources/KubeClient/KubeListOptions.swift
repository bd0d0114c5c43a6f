import KubeCore

/// The query of a list or watch, as `metav1.ListOptions` puts it in the URL.
public struct KubeListOptions: Sendable, Hashable {
    /// `labelSelector`, in the string syntax (`app=web,tier!=db`).
    public var labelSelector: String?
    /// `fieldSelector` (`spec.nodeName=n1`).
    public var fieldSelector: String?
    /// `resourceVersion`: for a list, how fresh the answer must be; for a watch, where it starts.
    public var resourceVersion: String?
    /// `limit`: a page size; nil or 0 for everything.
    public var limit: Int?
    /// `continue`: the token of the next page.
    public var continueToken: String?
    /// `timeoutSeconds` of a watch.
    public var timeoutSeconds: Int?
    /// `allowWatchBookmarks`.
    public var allowWatchBookmarks: Bool = false

    /// Options with the given parts.
    public init(labelSelector: String? = nil, fieldSelector: String? = nil, resourceVersion: String? = nil,
                limit: Int? = nil, continueToken: String? = nil, timeoutSeconds: Int? = nil,
                allowWatchBookmarks: Bool = false) {
        self.labelSelector = labelSelector
        self.fieldSelector = fieldSelector
        self.resourceVersion = resourceVersion
        self.limit = limit
        self.continueToken = continueToken
        self.timeoutSeconds = timeoutSeconds
        self.allowWatchBookmarks = allowWatchBookmarks
    }

    /// The URL query items, in a stable order.
    public var queryItems: [(String, String)] {
        var items: [(String, String)] = []
        if let labelSelector, !labelSelector.isEmpty { items.append(("labelSelector", labelSelector)) }
        if let fieldSelector, !fieldSelector.isEmpty { items.append(("fieldSelector", fieldSelector)) }
        if let resourceVersion { items.append(("resourceVersion", resourceVersion)) }
        if let limit, limit > 0 { items.append(("limit", String(limit))) }
        if let continueToken, !continueToken.isEmpty { items.append(("continue", continueToken)) }
        if let timeoutSeconds { items.append(("timeoutSeconds", String(timeoutSeconds))) }
        if allowWatchBookmarks { items.append(("allowWatchBookmarks", "true")) }
        return items
    }
}

/// One page of a collection.
public struct KubeList: Sendable, Hashable {
    /// The objects, each with `apiVersion` and `kind` filled in.
    public var items: [JSONValue]
    /// The list's `metadata.resourceVersion`: where a watch that follows it starts.
    public var resourceVersion: String
    /// `metadata.continue`, when more pages follow.
    public var continueToken: String?

    /// A page.
    public init(items: [JSONValue], resourceVersion: String, continueToken: String? = nil) {
        self.items = items
        self.resourceVersion = resourceVersion
        self.continueToken = continueToken
    }
}

/// The content type of a PATCH.
public enum KubePatchKind: String, Sendable, Hashable {
    /// `application/merge-patch+json` (RFC 7386).
    case merge = "application/merge-patch+json"
    /// `application/strategic-merge-patch+json`.
    case strategicMerge = "application/strategic-merge-patch+json"
    /// `application/json-patch+json` (RFC 6902).
    case json = "application/json-patch+json"
}

/// `metav1.DeleteOptions`.
public struct KubeDeleteOptions: Sendable, Hashable {
    /// `Background`, `Foreground` or `Orphan`; nil for the resource's default.
    public var propagationPolicy: String?
    /// The grace period; 0 deletes at once.
    public var gracePeriodSeconds: Int?
    /// `preconditions.uid`: delete only this incarnation of the name.
    public var preconditionUID: String?
    /// `preconditions.resourceVersion`.
    public var preconditionResourceVersion: String?

    /// Options with the given parts.
    public init(propagationPolicy: String? = nil, gracePeriodSeconds: Int? = nil,
                preconditionUID: String? = nil, preconditionResourceVersion: String? = nil) {
        self.propagationPolicy = propagationPolicy
        self.gracePeriodSeconds = gracePeriodSeconds
        self.preconditionUID = preconditionUID
        self.preconditionResourceVersion = preconditionResourceVersion
    }

    /// The request body, a `DeleteOptions` object.
    public var json: JSONValue {
        var body: [String: JSONValue] = ["apiVersion": .string("v1"), "kind": .string("DeleteOptions")]
        if let propagationPolicy { body["propagationPolicy"] = .string(propagationPolicy) }
        if let gracePeriodSeconds { body["gracePeriodSeconds"] = .integer(gracePeriodSeconds) }
        var preconditions: [String: JSONValue] = [:]
        if let preconditionUID { preconditions["uid"] = .string(preconditionUID) }
        if let preconditionResourceVersion { preconditions["resourceVersion"] = .string(preconditionResourceVersion) }
        if !preconditions.isEmpty { body["preconditions"] = .object(preconditions) }
        return .object(body)
    }
}

/// One event of a watch stream.
public enum KubeWatchEvent: Sendable, Equatable {
    /// `ADDED`.
    case added(JSONValue)
    /// `MODIFIED`.
    case modified(JSONValue)
    /// `DELETED`: the object's last state.
    case deleted(JSONValue)
    /// `BOOKMARK`: only `metadata.resourceVersion` is meaningful.
    case bookmark(resourceVersion: String)
    /// `ERROR`: the server's Status (410 Expired when the start version is compacted).
    case error(KubeStatus)
}
