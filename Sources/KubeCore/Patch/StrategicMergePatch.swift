/// Kubernetes strategic merge patch (`application/strategic-merge-patch+json`), kubectl's
/// default patch for built-in kinds, applied as kube-apiserver applies it.
///
/// Like a JSON merge patch, objects merge recursively and `null` deletes a member. Unlike it,
/// some lists merge instead of being replaced: those the Go API types tag with
/// `patchStrategy:"merge"` (see `PatchMergeKeys`), such as containers by `name` or finalizers
/// as a set. Directives in the patch refine this:
/// - `"$patch": "replace"` in an object replaces it instead of merging; as a list item it
///   replaces the whole list with the other items.
/// - `"$patch": "delete"` in an object deletes it; as a list item it deletes the items with
///   the same merge key.
/// - `"$deleteFromPrimitiveList/<field>": [...]` removes those scalars from the list.
/// - `"$setElementOrder/<field>": [...]` gives the order of the merged list (kubectl apply
///   sends it); items it does not mention keep their place relative to the live list.
/// - `"$retainKeys": [...]` drops every member of the live object not listed.
///
/// Without `$setElementOrder`, the order is apimachinery's: items named in the patch come in
/// patch order, live items the patch does not mention keep their order, and a new item is
/// placed ahead of the live items that follow it (so a new list item comes first, not last).
/// Error messages and status codes are apimachinery's too.
public enum StrategicMergePatch {
    /// The member that carries `replace`, `delete` or `merge`.
    static let directiveMarker = "$patch"
    /// The member that lists the keys to keep.
    static let retainKeysDirective = "$retainKeys"
    /// The prefix of `$setElementOrder/<field>`.
    static let setElementOrderPrefix = "$setElementOrder"
    /// The prefix of `$deleteFromPrimitiveList/<field>`.
    static let deleteFromPrimitiveListPrefix = "$deleteFromPrimitiveList"

    /// Applies `patch`, which must be a JSON object, to `doc`.
    /// - Throws: `PatchError` with kube-apiserver's message and status (400 for a malformed
    ///   directive, 422 for lists of lists, 500 for the other merge failures such as a list
    ///   item without its merge key).
    public static func apply(_ patch: JSONValue, to doc: JSONValue) throws(PatchError) -> JSONValue {
        guard case .object(let patchMembers) = patch else {
            throw .badRequest("json: cannot unmarshal \(patch.goTypeName) into Go value of type map[string]interface {}")
        }
        return .object(try mergeMap(doc.object ?? [:], patchMembers, path: []))
    }

    // MARK: Objects

    /// Merges `patch` into the object `original`, found at `path` (field names from the
    /// root, a list item counting as its list's name).
    static func mergeMap(_ original: [String: JSONValue], _ patch: [String: JSONValue],
                         path: [String]) throws(PatchError) -> [String: JSONValue] {
        if let directive = patch[directiveMarker] {
            switch directive.string {
            case "replace":
                var replacement = patch
                replacement.removeValue(forKey: directiveMarker)
                // Merging into nothing strips nested directives and nulls, which the typed
                // decode in kube-apiserver would drop as well.
                return try mergeMap([:], replacement, path: path)
            case "delete":
                return [:]
            default:
                // `merge` is not accepted in an object either: apimachinery knows only the two.
                throw PatchError("unknown patch type: \(directive.goDescription) in map: \(JSONValue.object(patch).goDescription)", code: 500)
            }
        }
        var original = original
        var patch = patch
        try applyRetainKeys(to: &original, from: &patch)
        try applySetElementOrder(to: &original, from: &patch, path: path)

        // Sorted so that the outcome never depends on dictionary order.
        for key in patch.keys.sorted() {
            guard let patchValue = patch[key] else { continue }
            var field = key
            var isDeleteList = false
            if key.hasPrefix(deleteFromPrimitiveListPrefix) {
                field = try extractKey(key, prefix: deleteFromPrimitiveListPrefix,
                                       error: "invalid patch format of primitive list")
                isDeleteList = true
            }
            if patchValue.isNull {
                original.removeValue(forKey: field)
                continue
            }
            guard let originalValue = original[field] else {
                // Nothing to delete from; otherwise the patch value is new.
                if !isDeleteList {
                    original[field] = try normalized(patchValue, field: field, parentPath: path)
                }
                continue
            }
            switch (originalValue, patchValue) {
            case (.object(let originalMembers), .object(let patchMembers)):
                original[field] = .object(try mergeMap(originalMembers, patchMembers, path: path + [field]))
            case (.array(let originalItems), .array(let patchItems)):
                original[field] = .array(try mergeListField(field, originalItems, patchItems,
                                                            parentPath: path, isDeleteList: isDeleteList))
            default:
                if !isDeleteList {
                    original[field] = try normalized(patchValue, field: field, parentPath: path)
                }
            }
        }
        return original
    }

    /// A patch value stored where nothing was before: merged into nothing, so directives and
    /// nulls inside it are processed rather than stored.
    private static func normalized(_ value: JSONValue, field: String, parentPath: [String]) throws(PatchError) -> JSONValue {
        switch value {
        case .object(let members):
            return .object(try mergeMap([:], members, path: parentPath + [field]))
        case .array(let items):
            return .array(try mergeListField(field, [], items, parentPath: parentPath, isDeleteList: false))
        default:
            return value
        }
    }

    /// Handles `$retainKeys`: every member of `original` not listed goes, and the patch may
    /// only set listed members.
    private static func applyRetainKeys(to original: inout [String: JSONValue],
                                        from patch: inout [String: JSONValue]) throws(PatchError) {
        guard let directive = patch.removeValue(forKey: retainKeysDirective) else { return }
        guard case .array(let listed) = directive else {
            throw .badRequest("invalid patch format of retainKeys")
        }
        let keep = Set(listed.compactMap(\.string))
        for (key, value) in patch where !value.isNull && !key.hasPrefix(deleteFromPrimitiveListPrefix)
            && !key.hasPrefix(setElementOrderPrefix) && !keep.contains(key) {
            throw .badRequest("invalid patch format of retainKeys")
        }
        original = original.filter { keep.contains($0.key) }
    }

    /// The field name after `<prefix>/`.
    private static func extractKey(_ key: String, prefix: String, error: String) throws(PatchError) -> String {
        let parts = key.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
        guard parts.count == 2, parts[0] == prefix else { throw .badRequest(error) }
        return String(parts[1])
    }

    // MARK: Lists

    /// Merges list field `field` of the object at `parentPath` according to its strategy.
    private static func mergeListField(_ field: String, _ original: [JSONValue], _ patch: [JSONValue],
                                       parentPath: [String], isDeleteList: Bool) throws(PatchError) -> [JSONValue] {
        let strategy = PatchMergeKeys.strategy(forField: field, parentPath: parentPath)
        // A deletion list applies whatever the field's strategy, as in apimachinery.
        guard strategy.merges || isDeleteList else { return patch }
        return try mergeList(original, patch, mergeKey: strategy.mergeKey, field: field,
                             itemPath: parentPath + [field], isDeleteList: isDeleteList)
    }

    /// Merges two lists of one element kind: scalars as a set, objects by `mergeKey`.
    private static func mergeList(_ original: [JSONValue], _ patch: [JSONValue], mergeKey: String?,
                                  field: String, itemPath: [String], isDeleteList: Bool) throws(PatchError) -> [JSONValue] {
        if original.isEmpty && patch.isEmpty { return original }
        guard try elementKind(original, patch) == .object else {
            if isDeleteList {
                return original.filter { item in !patch.contains { $0.isEquivalent(to: item) } }
            }
            var merged: [JSONValue] = []
            for item in original + patch where !merged.contains(where: { $0.isEquivalent(to: item) }) {
                merged.append(item)
            }
            let inPatch = merged.filter { item in patch.contains { $0.isEquivalent(to: item) } }
            let serverOnly = merged.filter { item in !patch.contains { $0.isEquivalent(to: item) } }
            return try normalizeElementOrder(inPatch, serverOnly, patchOrder: patch, serverOrder: original, mergeKey: nil)
        }
        guard let mergeKey else {
            throw PatchError("cannot merge lists without merge key for \(field)", code: 500)
        }
        let (live, changes) = try applySpecialElements(original, patch, mergeKey: mergeKey, itemPath: itemPath)
        var merged = live
        for change in changes {
            let members = change.object ?? [:]
            guard let keyValue = members[mergeKey] else { throw noMergeKey(change, mergeKey) }
            if let index = merged.firstIndex(where: { $0[mergeKey]?.isEquivalent(to: keyValue) == true }) {
                merged[index] = .object(try mergeMap(merged[index].object ?? [:], members, path: itemPath))
            } else {
                merged.append(.object(try mergeMap([:], members, path: itemPath)))
            }
        }
        var inPatch: [JSONValue] = []
        var serverOnly: [JSONValue] = []
        for item in merged {
            guard let keyValue = item[mergeKey] else { throw noMergeKey(item, mergeKey) }
            if changes.contains(where: { $0[mergeKey]?.isEquivalent(to: keyValue) == true }) {
                inPatch.append(item)
            } else {
                serverOnly.append(item)
            }
        }
        return try normalizeElementOrder(inPatch, serverOnly, patchOrder: changes, serverOrder: live, mergeKey: mergeKey)
    }

    /// Carries out the `$patch` list items: deletes by merge key, or replaces the whole list.
    /// Returns the live list left and the patch items still to merge.
    private static func applySpecialElements(_ original: [JSONValue], _ patch: [JSONValue], mergeKey: String,
                                             itemPath: [String]) throws(PatchError) -> ([JSONValue], [JSONValue]) {
        var live = original
        var plain: [JSONValue] = []
        var replace = false
        for item in patch {
            guard let directive = item[directiveMarker] else {
                plain.append(item)
                continue
            }
            switch directive.string {
            case "delete":
                guard let keyValue = item[mergeKey] else { throw noMergeKey(item, mergeKey) }
                live.removeAll { $0[mergeKey]?.isEquivalent(to: keyValue) == true }
            case "replace":
                replace = true // keep going: later items may still carry directives to drop
            case "merge":
                throw PatchError("merging lists cannot yet be specified in the patch", code: 500)
            default:
                throw PatchError("unknown patch type: \(directive.goDescription) in map: \(item.goDescription)", code: 500)
            }
        }
        if replace {
            var replacement: [JSONValue] = []
            for item in plain {
                replacement.append(.object(try mergeMap([:], item.object ?? [:], path: itemPath)))
            }
            return (replacement, [])
        }
        return (live, plain)
    }

    /// The JSON kinds a list can hold, for the same-kind check.
    private enum ElementKind { case null, bool, number, string, array, object }

    /// The kind shared by every item of `lists`.
    private static func elementKind(_ lists: [JSONValue]...) throws(PatchError) -> ElementKind {
        var kind: ElementKind?
        for list in lists {
            for item in list {
                let itemKind: ElementKind
                switch item {
                case .null: itemKind = .null
                case .bool: itemKind = .bool
                case .integer, .number: itemKind = .number
                case .string: itemKind = .string
                case .array: throw PatchError("lists of lists are not supported")
                case .object: itemKind = .object
                }
                if let kind, kind != itemKind {
                    throw PatchError("list element types are not identical: \(JSONValue.array(lists.map(JSONValue.array)).goDescription)", code: 500)
                }
                kind = itemKind
            }
        }
        return kind ?? .null
    }

    // MARK: Order

    /// Handles the `$setElementOrder/<field>` members: merges each such list with its patch
    /// list now, then orders the result. The patch list is removed so it is not merged twice.
    private static func applySetElementOrder(to original: inout [String: JSONValue],
                                             from patch: inout [String: JSONValue], path: [String]) throws(PatchError) {
        let badFormat = "invalid patch format of setElementOrder list"
        for key in patch.keys.sorted() where key.hasPrefix(setElementOrderPrefix) {
            guard let directive = patch.removeValue(forKey: key) else { continue }
            guard case .array(let order) = directive else { throw .badRequest(badFormat) }
            let field = try extractKey(key, prefix: setElementOrderPrefix, error: badFormat)
            let strategy = PatchMergeKeys.strategy(forField: field, parentPath: path)
            // A replaced list is exactly the patch's; there is nothing to order.
            guard strategy.merges else { continue }
            let mergeKey = strategy.mergeKey

            let originalList = try listValue(original[field])
            let patchList = try listValue(patch[field])
            try validatePatch(patchList ?? [], against: order, mergeKey: mergeKey)

            let merged: [JSONValue]
            switch (originalList, patchList) {
            case (nil, nil): continue
            case (let live?, nil): merged = live
            case (let live, let changes?):
                merged = try mergeList(live ?? [], changes, mergeKey: mergeKey, field: field,
                                       itemPath: path + [field], isDeleteList: false)
            }
            var inOrder: [JSONValue] = []
            var serverOnly: [JSONValue] = []
            for item in merged {
                let listed: Bool
                if let mergeKey {
                    guard let keyValue = item[mergeKey] else { throw noMergeKey(item, mergeKey) }
                    listed = order.contains { $0[mergeKey]?.isEquivalent(to: keyValue) == true }
                } else {
                    listed = order.contains { $0.isEquivalent(to: item) }
                }
                if listed { inOrder.append(item) } else { serverOnly.append(item) }
            }
            original[field] = .array(try normalizeElementOrder(inOrder, serverOnly, patchOrder: order,
                                                               serverOrder: originalList ?? [], mergeKey: mergeKey))
            patch.removeValue(forKey: field)
        }
    }

    /// The items of a list member, nil when absent.
    private static func listValue(_ value: JSONValue?) throws(PatchError) -> [JSONValue]? {
        guard let value else { return nil }
        guard case .array(let items) = value else {
            throw PatchError("expected a []interface {}, but received a \(value.goReflectType)", code: 500)
        }
        return items
    }

    /// Checks that the patch list names its items in the order `$setElementOrder` gives and
    /// names none it leaves out (deletions aside).
    private static func validatePatch(_ patchList: [JSONValue], against order: [JSONValue], mergeKey: String?) throws(PatchError) {
        if patchList.isEmpty || order.isEmpty { return }
        let kept = mergeKey == nil ? patchList : patchList.filter { $0[directiveMarker]?.string != "delete" }
        var patchIndex = 0
        var orderIndex = 0
        while patchIndex < kept.count && orderIndex < order.count {
            if kept[patchIndex][directiveMarker] != nil {
                patchIndex += 1
                continue
            }
            if try mergeKeyValuesEqual(kept[patchIndex], order[orderIndex], mergeKey: mergeKey) {
                patchIndex += 1
            }
            orderIndex += 1
        }
        if patchIndex < kept.count && orderIndex >= order.count {
            throw PatchError("The order in patch list:\n\(JSONValue.array(patchList).goDescription)\n doesn't match \(setElementOrderPrefix) list:\n\(JSONValue.array(order).goDescription)\n", code: 500)
        }
    }

    /// Whether two items are the same item: equal scalars, or objects with equal merge keys.
    private static func mergeKeyValuesEqual(_ left: JSONValue, _ right: JSONValue, mergeKey: String?) throws(PatchError) -> Bool {
        guard let mergeKey else { return left.isEquivalent(to: right) }
        guard let leftValue = left[mergeKey] else { throw noMergeKey(left, mergeKey) }
        guard let rightValue = right[mergeKey] else { throw noMergeKey(right, mergeKey) }
        return leftValue.isEquivalent(to: rightValue)
    }

    /// Orders a merged list: `patchItems` by `patchOrder`, `serverOnly` by `serverOrder`,
    /// then interleaves the two (apimachinery's normalizeElementOrder).
    private static func normalizeElementOrder(_ patchItems: [JSONValue], _ serverOnly: [JSONValue],
                                              patchOrder: [JSONValue], serverOrder: [JSONValue],
                                              mergeKey: String?) throws(PatchError) -> [JSONValue] {
        let sortedPatch = try sorted(patchItems, by: patchOrder, mergeKey: mergeKey)
        let sortedServer = try sorted(serverOnly, by: serverOrder, mergeKey: mergeKey)
        return interleave(left: sortedServer, right: sortedPatch, serverOrder: serverOrder, mergeKey: mergeKey)
    }

    /// `items` in the order they appear in `order`; items not in it go last, stably.
    private static func sorted(_ items: [JSONValue], by order: [JSONValue], mergeKey: String?) throws(PatchError) -> [JSONValue] {
        if let mergeKey {
            for item in items + order where item[mergeKey] == nil { throw noMergeKey(item, mergeKey) }
        }
        return items.enumerated()
            .map { (rank: index(of: $0.element, in: order, mergeKey: mergeKey) ?? Int.max, position: $0.offset, item: $0.element) }
            .sorted { ($0.rank, $0.position) < ($1.rank, $1.position) }
            .map(\.item)
    }

    /// Merges two ordered lists, keeping each one's order. A live-only item goes first only
    /// when both it and the next patch item are in the live list and it came earlier there;
    /// otherwise the patch item goes first, which is why new items land ahead.
    private static func interleave(left: [JSONValue], right: [JSONValue], serverOrder: [JSONValue], mergeKey: String?) -> [JSONValue] {
        var result: [JSONValue] = []
        result.reserveCapacity(left.count + right.count)
        var i = 0
        var j = 0
        while i < left.count || j < right.count {
            if i >= left.count {
                result.append(right[j]); j += 1
            } else if j >= right.count {
                result.append(left[i]); i += 1
            } else if let li = index(of: left[i], in: serverOrder, mergeKey: mergeKey),
                      let ri = index(of: right[j], in: serverOrder, mergeKey: mergeKey), li < ri {
                result.append(left[i]); i += 1
            } else {
                result.append(right[j]); j += 1
            }
        }
        return result
    }

    /// Where `item` (by merge key, or by value for scalars) is in `list`.
    private static func index(of item: JSONValue, in list: [JSONValue], mergeKey: String?) -> Int? {
        guard let mergeKey else { return list.firstIndex { $0.isEquivalent(to: item) } }
        let keyValue = item[mergeKey] ?? .null
        return list.firstIndex { ($0[mergeKey] ?? .null).isEquivalent(to: keyValue) }
    }

    /// apimachinery's error for a list item without its merge key.
    private static func noMergeKey(_ item: JSONValue, _ mergeKey: String) -> PatchError {
        PatchError("map: \(item.goDescription) does not contain declared merge key: \(mergeKey)", code: 500)
    }
}

extension JSONValue {
    /// How Go's `%v` prints the decoded value (`map[name:web ports:[80]]`), for messages that
    /// match kube-apiserver's.
    var goDescription: String {
        switch self {
        case .null: return "<nil>"
        case .bool(let b): return String(b)
        case .integer(let i): return String(i)
        case .number(let d): return d.rounded() == d && abs(d) < 1e21 ? String(Int(d)) : String(d)
        case .string(let s): return s
        case .array(let items): return "[" + items.map(\.goDescription).joined(separator: " ") + "]"
        case .object(let members):
            return "map[" + members.keys.sorted().map { "\($0):\(members[$0]!.goDescription)" }.joined(separator: " ") + "]"
        }
    }

    /// The Go type encoding/json decodes this value into, as reflect prints it.
    var goReflectType: String {
        switch self {
        case .null: return "<nil>"
        case .bool: return "bool"
        case .integer, .number: return "float64"
        case .string: return "string"
        case .array: return "[]interface {}"
        case .object: return "map[string]interface {}"
        }
    }
}
