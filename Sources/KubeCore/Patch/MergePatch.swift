/// RFC 7386 JSON merge patch (`application/merge-patch+json`): the patch looks like the
/// document; objects merge member by member, `null` deletes a member, and anything else
/// (arrays included) replaces what was there.
public enum MergePatch {
    /// Applies `patch` to `doc`. Never fails: every JSON value is a valid merge patch.
    /// A patch that is not an object replaces the document outright.
    public static func apply(_ patch: JSONValue, to doc: JSONValue) -> JSONValue {
        guard case .object(let patchMembers) = patch else { return patch }
        // A non-object target is treated as {} (RFC 7386 section 2).
        var members = doc.object ?? [:]
        for (key, patchValue) in patchMembers {
            if patchValue.isNull {
                members.removeValue(forKey: key)
            } else {
                // Recursing into a missing member merges into null, which drops any nulls
                // nested in the patch value instead of storing them.
                members[key] = apply(patchValue, to: members.removeValue(forKey: key) ?? .null)
            }
        }
        return .object(members)
    }
}
