/// A Kubernetes release as `--kubernetes-version` names it (`v1.33.4`), and the etcd image kubeadm
/// pairs with it.
public struct KubernetesRelease: Sendable, Hashable, CustomStringConvertible {
    /// What `ketch init` installs by default: the newest patch of 1.33 Ketch was checked against.
    public static let `default` = KubernetesRelease("v1.33.4")!

    public let major: Int
    public let minor: Int
    public let patch: Int

    /// Parses `vMAJOR.MINOR.PATCH` (the leading `v` may be left out, as kubeadm allows).
    public init?(_ text: String) {
        let body = text.hasPrefix("v") ? text.dropFirst() : Substring(text)
        let parts = body.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3,
              parts.allSatisfy({ !$0.isEmpty && $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) }),
              let major = Int(parts[0]), let minor = Int(parts[1]), let patch = Int(parts[2]),
              major == 1 else { return nil }
        self.major = major
        self.minor = minor
        self.patch = patch
    }

    public var description: String { "v\(major).\(minor).\(patch)" }

    /// The etcd image tag kubeadm uses for this minor (kubeadm's `SupportedEtcdVersion`), the nearest
    /// known one for a minor outside the table.
    public var etcdImageTag: String {
        let known = Self.etcdImageTags
        if let tag = known[minor] { return tag }
        let nearest = known.keys.min { abs($0 - minor) < abs($1 - minor) }!
        return known[nearest]!
    }

    /// kubeadm's `SupportedEtcdVersion` for the releases Ketch knows.
    private static let etcdImageTags: [Int: String] = [
        30: "3.5.15-0", 31: "3.5.15-0", 32: "3.5.16-0", 33: "3.5.21-0", 34: "3.6.4-0",
    ]
}
