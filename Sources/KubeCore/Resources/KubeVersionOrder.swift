/// Kubernetes' "kube-aware" ordering of API version strings
/// (k8s.io/apimachinery/pkg/version.CompareKubeAwareVersionStrings).
///
/// Discovery lists a group's versions in this order and takes the first as preferred, so
/// `autoscaling` prefers `v2` over `v1`, and a CRD serving `v1beta1` and `v1` prefers `v1`.
public enum KubeVersionOrder {
    /// The parsed shape of a kube-like version: `v<major>[alpha|beta<minor>]`.
    private struct Parsed {
        var major: Int
        /// 2 for GA, 1 for beta, 0 for alpha.
        var stability: Int
        var minor: Int
    }

    private static func parse(_ v: String) -> Parsed? {
        guard v.hasPrefix("v") else { return nil }
        let rest = v.dropFirst()
        let digits = rest.prefix(while: \.isNumber)
        guard !digits.isEmpty, let major = Int(digits), major > 0 || digits == "0" else { return nil }
        let tail = rest.dropFirst(digits.count)
        if tail.isEmpty { return Parsed(major: major, stability: 2, minor: 0) }
        for (word, stability) in [("alpha", 0), ("beta", 1)] where tail.hasPrefix(word) {
            let num = tail.dropFirst(word.count)
            guard !num.isEmpty, num.allSatisfy(\.isNumber), let minor = Int(num) else { return nil }
            return Parsed(major: major, stability: stability, minor: minor)
        }
        return nil
    }

    /// True when `a` sorts before `b`: GA before beta before alpha, higher major then higher
    /// minor first, kube-like before anything else, the rest lexicographically.
    public static func precedes(_ a: String, _ b: String) -> Bool {
        switch (parse(a), parse(b)) {
        case (nil, nil): return a < b
        case (.some, nil): return true
        case (nil, .some): return false
        case let (pa?, pb?):
            if pa.stability != pb.stability { return pa.stability > pb.stability }
            if pa.major != pb.major { return pa.major > pb.major }
            return pa.minor > pb.minor
        }
    }

    /// The versions sorted most-preferred first.
    public static func sorted(_ versions: [String]) -> [String] { versions.sorted(by: precedes) }
}
