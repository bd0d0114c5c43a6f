import Foundation

/// Small formatting helpers shared by the printers, each a copy of the apimachinery or printers
/// function named in its comment.
enum TableFormat {
    /// `metadata.name`.
    static func name(_ o: JSONValue) -> String { o["metadata"]?["name"]?.string ?? "" }

    /// The Age cell (`translateTimestampSince(obj.CreationTimestamp)`).
    static func age(_ o: JSONValue, _ now: Date) -> JSONValue {
        .string(HumanDuration.since(o["metadata"]?["creationTimestamp"]?.string, now: now))
    }

    /// A string member, "" when absent (Go's zero value).
    static func str(_ v: JSONValue?) -> String { v?.string ?? "" }

    /// An integer member, 0 when absent; whole doubles count as integers.
    static func int(_ v: JSONValue?) -> Int {
        switch v {
        case .integer(let i)?: return i
        case .number(let d)?: return Int(d)
        case .string(let s)?: return Int(s) ?? 0
        default: return 0
        }
    }

    /// An optional integer member: nil when absent or null.
    static func optInt(_ v: JSONValue?) -> Int? {
        switch v {
        case .integer(let i)?: return i
        case .number(let d)?: return Int(d)
        default: return nil
        }
    }

    /// A boolean member, false when absent.
    static func bool(_ v: JSONValue?) -> Bool { if case .bool(let b)? = v { return b }; return false }

    /// Array items, [] when absent.
    static func arr(_ v: JSONValue?) -> [JSONValue] { v?.array ?? [] }

    /// Whether a member is present and not null (a Go pointer that is set).
    static func isSet(_ v: JSONValue?) -> Bool { if v == nil || v == .null { return false }; return true }

    /// `labels.FormatLabels`: sorted `k=v` pairs joined with commas, `<none>` when empty.
    static func labels(_ v: JSONValue?) -> String {
        guard let o = v?.object, !o.isEmpty else { return "<none>" }
        return o.keys.sorted().map { "\($0)=\(o[$0]?.string ?? "")" }.joined(separator: ",")
    }

    /// `metav1.LabelSelectorAsSelector(...).String()`: requirements sorted by key; `""` for an
    /// empty or missing selector.
    static func selectorString(_ sel: JSONValue?) -> String {
        guard let sel, sel != .null else { return "" }
        var reqs: [(String, String)] = []
        for (k, v) in sel["matchLabels"]?.object ?? [:] { reqs.append((k, "\(k)=\(v.string ?? "")")) }
        for e in arr(sel["matchExpressions"]) {
            let key = str(e["key"])
            let values = arr(e["values"]).compactMap(\.string).sorted().joined(separator: ",")
            switch str(e["operator"]) {
            case "In": reqs.append((key, "\(key) in (\(values))"))
            case "NotIn": reqs.append((key, "\(key) notin (\(values))"))
            case "Exists": reqs.append((key, key))
            case "DoesNotExist": reqs.append((key, "!\(key)"))
            default: continue
            }
        }
        // Stable sort by key, as labels.internalSelector sorts its requirements.
        return reqs.enumerated().sorted { ($0.element.0, $0.offset) < ($1.element.0, $1.offset) }
            .map(\.element.1).joined(separator: ",")
    }

    /// `metav1.FormatLabelSelector`: the selector string, `<none>` when it selects everything
    /// or nothing.
    static func labelSelector(_ sel: JSONValue?) -> String {
        let s = selectorString(sel)
        return s.isEmpty ? "<none>" : s
    }

    /// `layoutContainerCells`: container names and images, comma-joined.
    static func containerCells(_ podSpec: JSONValue?) -> [JSONValue] {
        let cs = arr(podSpec?["containers"])
        return [.string(cs.map { str($0["name"]) }.joined(separator: ",")),
                .string(cs.map { str($0["image"]) }.joined(separator: ","))]
    }

    /// `listWithMoreString`: the first three items, `+ N more...`, or `<unset>` when empty.
    static func listWithMore(_ items: [String], max: Int = 3) -> String {
        if items.isEmpty { return "<unset>" }
        let ret = items.prefix(max).joined(separator: ",")
        return items.count > max ? "\(ret) + \(items.count - max) more..." : ret
    }

    /// `printBoolPtr`: `True`, `False` or `<unset>`.
    static func boolPtr(_ v: JSONValue?) -> String {
        guard case .bool(let b)? = v else { return "<unset>" }
        return b ? "True" : "False"
    }

    /// A quantity or int-or-string as text (stored quantities are already canonical strings).
    static func scalarText(_ v: JSONValue?) -> String {
        switch v {
        case .string(let s)?: return s
        case .integer(let i)?: return String(i)
        case .number(let d)?: return d == d.rounded() ? String(Int(d)) : String(d)
        case .bool(let b)?: return String(b)
        default: return ""
        }
    }

    /// `loadBalancerStatusStringer` with wide output (never clipped on the server): sorted,
    /// de-duplicated IPs or hostnames of `status.loadBalancer.ingress`.
    static func loadBalancer(_ lb: JSONValue?) -> String {
        let set = Set(arr(lb?["ingress"]).compactMap { i -> String? in
            if let ip = i["ip"]?.string, !ip.isEmpty { return ip }
            if let h = i["hostname"]?.string, !h.isEmpty { return h }
            return nil
        })
        return set.sorted().joined(separator: ",")
    }

    /// `metav1.GetControllerOf` + `formatResourceName`: `kind.group/name` of the controlling
    /// owner, lower-cased kind, or `<none>`.
    static func controllerName(_ o: JSONValue) -> String {
        guard let ref = arr(o["metadata"]?["ownerReferences"]).first(where: { bool($0["controller"]) }) else {
            return "<none>"
        }
        let apiVersion = str(ref["apiVersion"])
        let group = apiVersion.contains("/") ? String(apiVersion.split(separator: "/")[0]) : ""
        let kind = str(ref["kind"])
        let gk = group.isEmpty ? kind : "\(kind).\(group)"
        return gk.isEmpty ? str(ref["name"]) : gk.lowercased() + "/" + str(ref["name"])
    }

    /// The `date`-typed Created At cell of kube's default table convertor: RFC 3339 in UTC.
    static func createdAt(_ o: JSONValue) -> JSONValue {
        guard let ts = o["metadata"]?["creationTimestamp"]?.string, let d = KubeTime.parse(ts) else {
            return .string("0001-01-01T00:00:00Z")
        }
        return .string(KubeTime.rfc3339(d))
    }
}
