/// `x-kubernetes-list-type` invariants (apiextensions-apiserver `schema/listtype/validation.go`):
/// a `set` holds no item twice and a `map` no two items with the same key fields.
enum ListTypeValidation {
    /// The duplicate errors of `object` under `schema`, with `field.Path` paths
    /// (`spec.ports[1]`, map values as `spec.byName[x]`).
    static func errors(_ object: JSONValue, _ schema: StructuralSchema) -> [FieldError] {
        guard case .object(let members) = object else { return [] }
        return objectErrors(members, schema, path: "")
    }

    private static func child(_ path: String, _ name: String) -> String { path.isEmpty ? name : "\(path).\(name)" }

    private static func objectErrors(_ members: [String: JSONValue], _ s: StructuralSchema, path: String) -> [FieldError] {
        var out: [FieldError] = []
        let keys = members.keys.sorted()
        if case .schema(let additional)? = s.additionalProperties {
            for key in keys { out += valueErrors(members[key]!, additional, path: "\(path)[\(key)]") }
        }
        for key in keys {
            if let property = s.properties[key] { out += valueErrors(members[key]!, property, path: child(path, key)) }
        }
        return out
    }

    private static func valueErrors(_ value: JSONValue, _ s: StructuralSchema, path: String) -> [FieldError] {
        switch value {
        case .array(let items): return arrayErrors(items, s, path: path)
        case .object(let members): return objectErrors(members, s, path: path)
        default: return []
        }
    }

    private static func arrayErrors(_ items: [JSONValue], _ s: StructuralSchema, path: String) -> [FieldError] {
        var out: [FieldError] = []
        switch s.listType {
        case "set"?:
            for i in repeatedIndices(items) {
                out.append(FieldError(field: "\(path)[\(i)]", .duplicate(value: GoValueRendering.badValue(items[i]))))
            }
        case "map"?:
            out += mapErrors(items, s, path: path)
        default:
            break
        }
        if let itemSchema = s.items {
            for (i, item) in items.enumerated() { out += valueErrors(item, itemSchema, path: "\(path)[\(i)]") }
        }
        return out
    }

    /// `validateListSet`: the index of each value's second appearance.
    private static func repeatedIndices(_ items: [JSONValue]) -> [Int] {
        var seen: [JSONValue: Int] = [:]
        var repeated: [Int] = []
        for (i, item) in items.enumerated() {
            let times = seen[item, default: 0]
            seen[item] = times + 1
            if times == 1 { repeated.append(i) }
        }
        return repeated
    }

    /// `validateListMap`: items must be objects (or null) with unique key-field values.
    private static func mapErrors(_ items: [JSONValue], _ s: StructuralSchema, path: String) -> [FieldError] {
        for (i, item) in items.enumerated() where item.object == nil && !item.isNull {
            return [FieldError(field: "\(path)[\(i)]", .invalid(value: GoValueRendering.badValue(item),
                                                                 detail: "must be an object for an array of list-type map"))]
        }
        guard items.count > 1 else { return [] }
        // A key is the object of the key fields an item sets; an item without any is `{}`.
        let keys: [JSONValue] = items.map { item in
            var key: [String: JSONValue] = [:]
            for name in s.listMapKeys { if let v = item[name] { key[name] = v } }
            return .object(key)
        }
        if s.listMapKeys.count == 1 {
            // One key field: a missing key and an explicit null are different keys.
            let name = s.listMapKeys[0]
            let marked: [JSONValue] = items.map { item in
                guard let v = item[name] else { return .array([.string("unspecified")]) }
                return .object([name: v])
            }
            return repeatedIndices(marked).map { i in
                FieldError(field: "\(path)[\(i)]", .duplicate(value: .raw(GoValueRendering.sharpV(keys[i]))))
            }
        }
        return repeatedIndices(keys).map { i in
            FieldError(field: "\(path)[\(i)]", .duplicate(value: .raw(GoValueRendering.sharpV(keys[i]))))
        }
    }
}
