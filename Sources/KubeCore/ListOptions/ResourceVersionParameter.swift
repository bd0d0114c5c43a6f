/// The `resourceVersion` query parameter as kube-apiserver's storage reads it
/// (`storage.APIObjectVersioner.ParseResourceVersion`): "" and "0" mean "any", anything else
/// must be a decimal uint64, parsed by Go's `strconv.ParseUint(s, 10, 64)`.
///
/// What a client sees for one that does not parse depends on which storage layer reads it
/// first. The watch cache returns the versioner's `storage.InvalidError` unchanged, which the
/// handler turns into 422 Invalid (`responsewriters.ErrorToAPIStatus`); etcd3's list wraps it in
/// 400 BadRequest `invalid resource version: …`. See ``KubeStatus/resourceVersionRejected(_:by:)``.
public enum ResourceVersionParameter {
    /// Which storage layer answers a read, deciding how a bad resourceVersion is reported.
    public enum Reader: Sendable, Hashable {
        /// The watch cache (`cacher.CacheDelegator`): gets, watches, and lists it serves.
        case watchCache
        /// etcd3's `GetList`: lists the watch cache hands to etcd.
        case etcd
    }

    /// The revision `text` names, nil for "" and "0" (no constraint).
    /// - Throws: the versioner's `resourceVersion: Invalid value: "abc": strconv.ParseUint: parsing "abc": invalid syntax`.
    public static func parse(_ text: String) throws(FieldError) -> UInt64? {
        if text.isEmpty || text == "0" { return nil }
        switch parseUint(text) {
        case .success(let value):
            return value
        case .failure(let problem):
            throw FieldError(field: "resourceVersion", .invalid(
                value: .string(text), detail: "strconv.ParseUint: parsing \(goQuoted(text)): \(problem.rawValue)"))
        }
    }

    /// Which layer answers a list in kube-apiserver 1.33 (`shouldDelegateList`): an Exact match,
    /// a continue token, or the legacy paged form (a limit with a resourceVersion other than
    /// "0" and no match) go to etcd; the rest are served from the watch cache.
    public static func listReader(resourceVersion: String, match: String, limit: Int, continueToken: String) -> Reader {
        switch match {
        case "Exact": return .etcd
        case "NotOlderThan": break
        case "": if limit > 0, !resourceVersion.isEmpty, resourceVersion != "0" { return .etcd }
        default: return .etcd
        }
        return continueToken.isEmpty ? .watchCache : .etcd
    }

    /// Why Go's `strconv.ParseUint` refuses a string.
    enum ParseProblem: String, Error {
        case syntax = "invalid syntax"
        case range = "value out of range"
    }

    /// `strconv.ParseUint(text, 10, 64)`, reporting overflow as soon as it happens, as Go does.
    static func parseUint(_ text: String) -> Result<UInt64, ParseProblem> {
        if text.isEmpty { return .failure(.syntax) }
        var value: UInt64 = 0
        for byte in text.utf8 {
            guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return .failure(.syntax) }
            let (times10, overflow1) = value.multipliedReportingOverflow(by: 10)
            let (sum, overflow2) = times10.addingReportingOverflow(UInt64(byte - UInt8(ascii: "0")))
            if overflow1 || overflow2 { return .failure(.range) }
            value = sum
        }
        return .success(value)
    }
}

extension KubeStatus {
    /// How kube-apiserver reports a `resourceVersion` that does not parse, by the layer that
    /// read it: 422 Invalid with the bare field error and no details from the watch cache, 400
    /// BadRequest `invalid resource version: <field error>` from etcd3's list.
    public static func resourceVersionRejected(_ error: FieldError, by reader: ResourceVersionParameter.Reader) -> KubeStatus {
        switch reader {
        case .watchCache: return KubeStatus(code: 422, reason: "Invalid", message: error.description)
        case .etcd: return .badRequest("invalid resource version: \(error.description)")
        }
    }
}
