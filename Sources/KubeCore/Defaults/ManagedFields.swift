/// `metadata.managedFields` as kube-apiserver records it on writes, with `fieldsV1` reduced to
/// the top-level fields (and labels and annotations) the write set.
public enum ManagedFields {
    /// One entry for `manager`'s `operation` (Update or Apply) of `object` at `time`.
    public static func entry(manager: String, operation: String, apiVersion: String, time: String, object: JSONValue) -> JSONValue {
        var fields: [String: JSONValue] = [:]
        for (key, value) in object.object ?? [:] where !["apiVersion", "kind", "status"].contains(key) {
            if key == "metadata" {
                var metaFields: [String: JSONValue] = [:]
                for (mk, mv) in value.object ?? [:] where ["labels", "annotations"].contains(mk) {
                    var inner: [String: JSONValue] = [:]
                    for k in (mv.object ?? [:]).keys { inner["f:\(k)"] = .object([:]) }
                    metaFields["f:\(mk)"] = .object(inner)
                }
                if !metaFields.isEmpty { fields["f:metadata"] = .object(metaFields) }
            } else {
                var inner: [String: JSONValue] = [:]
                if case .object(let o) = value { for k in o.keys { inner["f:\(k)"] = .object([:]) } }
                fields["f:\(key)"] = .object(inner)
            }
        }
        return .object([
            "manager": .string(manager), "operation": .string(operation), "apiVersion": .string(apiVersion),
            "time": .string(time), "fieldsType": .string("FieldsV1"), "fieldsV1": .object(fields),
        ])
    }

    /// `metadata` with the entry of one manager and operation replaced (or added), stamped now.
    public static func record(_ metadata: JSONValue, manager: String, operation: String, apiVersion: String, object: JSONValue) -> JSONValue {
        var meta = metadata
        var entries = meta["managedFields"]?.array ?? []
        entries.removeAll { $0["manager"]?.string == manager && $0["operation"]?.string == operation }
        entries.append(entry(manager: manager, operation: operation, apiVersion: apiVersion, time: KubeTime.rfc3339(), object: object))
        meta["managedFields"] = .array(entries)
        return meta
    }
}
