import KubeCore

/// A node taint (`spec.taints[]`).
public struct Taint: Sendable, Hashable {
    /// The key, e.g. `node-role.kubernetes.io/control-plane`.
    public var key: String
    /// The value; often empty.
    public var value: String
    /// `NoSchedule`, `PreferNoSchedule` or `NoExecute`.
    public var effect: String

    /// A taint.
    public init(key: String, value: String = "", effect: String) {
        self.key = key
        self.value = value
        self.effect = effect
    }

    /// The taints of a node object, in the order the node lists them.
    public static func of(node: JSONValue) -> [Taint] {
        (node["spec"]?["taints"]?.array ?? []).map {
            Taint(key: $0["key"]?.string ?? "", value: $0["value"]?.string ?? "", effect: $0["effect"]?.string ?? "")
        }
    }

    /// Whether the scheduler's filter considers it (`NoSchedule` and `NoExecute`).
    var blocksScheduling: Bool { effect == "NoSchedule" || effect == "NoExecute" }
}

/// A pod toleration (`spec.tolerations[]`).
public struct Toleration: Sendable, Hashable {
    /// The taint key it matches; empty with `Exists` matches every key.
    public var key: String
    /// `Equal` (the default when empty) or `Exists`.
    public var `operator`: String
    /// The value `Equal` compares.
    public var value: String
    /// The effect it matches; empty matches every effect.
    public var effect: String

    /// A toleration.
    public init(key: String = "", operator: String = "", value: String = "", effect: String = "") {
        self.key = key
        self.operator = `operator`
        self.value = value
        self.effect = effect
    }

    /// The tolerations of a pod object.
    public static func of(pod: JSONValue) -> [Toleration] {
        (pod["spec"]?["tolerations"]?.array ?? []).map {
            Toleration(key: $0["key"]?.string ?? "", operator: $0["operator"]?.string ?? "",
                       value: $0["value"]?.string ?? "", effect: $0["effect"]?.string ?? "")
        }
    }

    /// Whether this toleration tolerates `taint` (core/v1 `Toleration.ToleratesTaint`).
    public func tolerates(_ taint: Taint) -> Bool {
        if !effect.isEmpty && effect != taint.effect { return false }
        if !key.isEmpty && key != taint.key { return false }
        switch `operator` {
        case "", "Equal": return value == taint.value
        case "Exists": return true
        default: return false
        }
    }
}

extension Array where Element == Toleration {
    /// Whether any toleration tolerates `taint`.
    public func tolerate(_ taint: Taint) -> Bool { contains { $0.tolerates(taint) } }
}
