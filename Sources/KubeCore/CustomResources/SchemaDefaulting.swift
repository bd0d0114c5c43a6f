/// apiextensions-apiserver's structural defaulting (`schema/defaulting/algorithm.go`): schema
/// `default`s fill absent properties and non-nullable nulls, in objects, map values and array
/// items, top-down so a defaulted object gets its own members' defaults too.
enum SchemaDefaulting {
    /// Applies `schema`'s defaults to `value`.
    static func apply(_ value: inout JSONValue, _ schema: StructuralSchema?) {
        guard let schema else { return }
        switch value {
        case .object(var members):
            for name in schema.propertyNames {
                let property = schema.properties[name]!
                guard let defaultValue = property.defaultValue else { continue }
                if members[name] == nil || isNonNullableNull(members[name]!, property) {
                    members[name] = defaultValue
                }
            }
            for key in members.keys.sorted() {
                if let property = schema.properties[key] {
                    apply(&members[key]!, property)
                } else if case .schema(let additional)? = schema.additionalProperties {
                    if isNonNullableNull(members[key]!, additional) { members[key] = additional.defaultValue ?? .null }
                    apply(&members[key]!, additional)
                }
            }
            value = .object(members)
        case .array(var items):
            guard let itemSchema = schema.items else { return }
            for i in items.indices {
                if isNonNullableNull(items[i], itemSchema) { items[i] = itemSchema.defaultValue ?? .null }
                apply(&items[i], itemSchema)
            }
            value = .array(items)
        default:
            break
        }
    }

    /// `isNonNullableNull`: a null the schema does not allow.
    private static func isNonNullableNull(_ value: JSONValue, _ schema: StructuralSchema) -> Bool {
        value.isNull && !schema.nullable
    }
}
