/// apiextensions-apiserver's structural pruning (`schema/pruning/algorithm.go`) and
/// `PruneNonNullableNullsWithoutDefaults`: what decoding a custom resource drops before it is
/// defaulted, validated and stored.
enum SchemaPruning {
    /// The fields of ObjectMeta: an embedded resource's `metadata` keeps these and loses the
    /// rest, as its round trip through `metav1.ObjectMeta` (`objectmeta.Coerce`) does.
    static let objectMetaFields: Set<String> = [
        "name", "generateName", "namespace", "selfLink", "uid", "resourceVersion", "generation",
        "creationTimestamp", "deletionTimestamp", "deletionGracePeriodSeconds", "labels", "annotations",
        "ownerReferences", "finalizers", "managedFields",
    ]

    private static let typeAndObjectMeta: Set<String> = ["apiVersion", "kind", "metadata"]

    /// Drops every field `schema` does not specify from the resource `object`, keeping
    /// `apiVersion`, `kind` and `metadata` at the root and in embedded resources. Returns the
    /// dropped fields' paths sorted (`spec.foo`, `spec.items[0].bar`), as strict decoding
    /// reports them.
    static func prune(_ object: inout JSONValue, _ schema: StructuralSchema?) -> [String] {
        var unknown: [String] = []
        prune(&object, schema, path: "", isEmbedded: true, unknown: &unknown)
        return unknown.sorted()
    }

    private static func join(_ path: String, _ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

    private static func prune(_ value: inout JSONValue, _ schema: StructuralSchema?, path: String,
                              isEmbedded: Bool, unknown: inout [String]) {
        if let schema, schema.preserveUnknownFields {
            skipPrune(&value, schema, path: path, isEmbedded: isEmbedded, unknown: &unknown)
            return
        }
        switch value {
        case .object(var members):
            guard let schema else {
                for key in members.keys.sorted() { unknown.append(join(path, key)) }
                value = .object([:])
                return
            }
            pruneMembers(&members, schema, path: path, isEmbedded: isEmbedded, keepUnknown: false, unknown: &unknown)
            value = .object(members)
        case .array(var items):
            for i in items.indices {
                prune(&items[i], schema?.items, path: "\(path)[\(i)]", isEmbedded: schema?.items?.embeddedResource ?? false, unknown: &unknown)
            }
            value = .array(items)
        default:
            break
        }
    }

    /// Prunes inside an object's declared properties and additional properties; members the
    /// schema does not specify are dropped and reported, or kept when `keepUnknown`
    /// (`x-kubernetes-preserve-unknown-fields`).
    private static func pruneMembers(_ members: inout [String: JSONValue], _ schema: StructuralSchema, path: String,
                                     isEmbedded: Bool, keepUnknown: Bool, unknown: inout [String]) {
        let embedded = isEmbedded || schema.embeddedResource
        for key in members.keys.sorted() {
            if embedded && typeAndObjectMeta.contains(key) { continue }
            if let property = schema.properties[key] {
                prune(&members[key]!, property, path: join(path, key), isEmbedded: property.embeddedResource, unknown: &unknown)
            } else if let additional = schema.additionalProperties {
                var child: StructuralSchema? = nil
                if case .schema(let s) = additional { child = s }
                prune(&members[key]!, child, path: join(path, key), isEmbedded: child?.embeddedResource ?? false, unknown: &unknown)
            } else if !keepUnknown {
                // The root's own apiVersion/kind/metadata are never reported (the root is
                // always embedded, so this is reached only below it).
                if !typeAndObjectMeta.contains(key) || !path.isEmpty { unknown.append(join(path, key)) }
                members[key] = nil
            }
        }
    }

    /// Below `x-kubernetes-preserve-unknown-fields` unknown fields stay, but declared
    /// properties are still pruned inside.
    private static func skipPrune(_ value: inout JSONValue, _ schema: StructuralSchema, path: String,
                                  isEmbedded: Bool, unknown: inout [String]) {
        switch value {
        case .object(var members):
            pruneMembers(&members, schema, path: path, isEmbedded: isEmbedded, keepUnknown: true, unknown: &unknown)
            value = .object(members)
        case .array(var items):
            if let itemSchema = schema.items {
                for i in items.indices {
                    skipPrune(&items[i], itemSchema, path: "\(path)[\(i)]", isEmbedded: itemSchema.embeddedResource, unknown: &unknown)
                }
            }
            value = .array(items)
        default:
            break
        }
    }

    /// `PruneNonNullableNullsWithoutDefaults`: object members that are null where the schema
    /// neither allows null nor has a default to put there are removed (array items are not).
    static func pruneNulls(_ value: inout JSONValue, _ schema: StructuralSchema?) {
        switch value {
        case .object(var members):
            for key in members.keys.sorted() {
                let child = schema?.schema(forKey: key)
                if members[key] == .null, let child, !child.nullable, child.defaultValue == nil {
                    members[key] = nil
                } else {
                    pruneNulls(&members[key]!, child)
                }
            }
            value = .object(members)
        case .array(var items):
            for i in items.indices { pruneNulls(&items[i], schema?.items) }
            value = .array(items)
        default:
            break
        }
    }

    /// `objectmeta.Coerce` for embedded resources below the root: their `metadata` keeps only
    /// ObjectMeta's fields and drops empty ones, as its typed round trip does. Returns the
    /// dropped unknown metadata fields' paths.
    static func coerceEmbeddedMetadata(_ value: inout JSONValue, _ schema: StructuralSchema?, path: String, isRoot: Bool) -> [String] {
        guard let schema else { return [] }
        var unknown: [String] = []
        switch value {
        case .object(var members):
            if schema.embeddedResource, !isRoot, case .object(var meta)? = members["metadata"] {
                for key in meta.keys.sorted() {
                    if !objectMetaFields.contains(key) {
                        unknown.append("\(join(path, "metadata")).\(key)")
                        meta[key] = nil
                    } else if isEmpty(meta[key]!) {
                        meta[key] = nil  // omitempty in the typed ObjectMeta
                    }
                }
                members["metadata"] = .object(meta)
            }
            for key in members.keys.sorted() {
                guard let child = schema.schema(forKey: key) else { continue }
                unknown += coerceEmbeddedMetadata(&members[key]!, child, path: join(path, key), isRoot: false)
            }
            value = .object(members)
        case .array(var items):
            for i in items.indices {
                unknown += coerceEmbeddedMetadata(&items[i], schema.items, path: "\(path)[\(i)]", isRoot: false)
            }
            value = .array(items)
        default:
            break
        }
        return unknown
    }

    private static func isEmpty(_ value: JSONValue) -> Bool {
        switch value {
        case .null: return true
        case .string(let s): return s.isEmpty
        case .integer(let i): return i == 0
        case .array(let a): return a.isEmpty
        case .object(let o): return o.isEmpty
        default: return false
        }
    }
}
