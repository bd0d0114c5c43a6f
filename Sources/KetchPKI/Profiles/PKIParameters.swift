import Foundation

/// The per-cluster values the profiles' placeholders stand for, validated.
public struct PKIParameters: Sendable, Hashable {
    /// `{nodeName}`: a lowercase RFC 1123 subdomain (it becomes a SAN and a CN).
    public let nodeName: String
    /// `{advertiseAddress}`: the API server's advertise address.
    public let advertiseAddress: IPAddress
    /// The service network; `{firstServiceIP}` is its first address.
    public let serviceNetwork: IPNetwork
    /// `{firstServiceIP}`: the `kubernetes` Service's ClusterIP (10.96.0.1 for 10.96.0.0/12).
    public let firstServiceIP: IPAddress
    /// `{dnsDomain}`: the cluster DNS domain.
    public let dnsDomain: String
    /// Extra SANs (IPs or DNS names) per certificate name, like kubeadm's `apiServer.certSANs`.
    public let extraSANs: [String: [String]]

    /// Validates and derives the placeholder values.
    ///
    /// - Parameter serviceCIDR: one CIDR, or a dual-stack list whose first entry is used (as kubeadm does).
    public init(
        nodeName: String,
        advertiseAddress: String,
        serviceCIDR: String = "10.96.0.0/12",
        dnsDomain: String = "cluster.local",
        extraSANs: [String: [String]] = [:]
    ) throws {
        if let problem = Self.subdomainProblem(nodeName) {
            throw PKIError.invalidParameter(name: "node name", value: nodeName, reason: problem)
        }
        guard let address = IPAddress(advertiseAddress) else {
            throw PKIError.invalidParameter(name: "advertise address", value: advertiseAddress, reason: "not an IPv4 or IPv6 address")
        }
        let firstCIDR = serviceCIDR.split(separator: ",").first.map { $0.trimmingCharacters(in: .whitespaces) } ?? ""
        let network: IPNetwork
        let firstIP: IPAddress
        do {
            network = try IPNetwork(validating: firstCIDR)
        } catch let PKIError.invalidParameter(_, _, reason) {
            throw PKIError.invalidParameter(name: "service CIDR", value: serviceCIDR, reason: reason)
        }
        guard let first = network.address(at: 1) else {
            throw PKIError.invalidParameter(name: "service CIDR", value: serviceCIDR, reason: "too small to hold an address at index 1")
        }
        firstIP = first
        if let problem = Self.subdomainProblem(dnsDomain) {
            throw PKIError.invalidParameter(name: "DNS domain", value: dnsDomain, reason: problem)
        }
        for (certificate, names) in extraSANs {
            for name in names where IPAddress(name) == nil {
                let bare = name.hasPrefix("*.") ? String(name.dropFirst(2)) : name
                if let problem = Self.subdomainProblem(bare) {
                    throw PKIError.invalidParameter(name: "\(certificate) SAN", value: name, reason: problem)
                }
            }
        }
        self.nodeName = nodeName
        self.advertiseAddress = address
        self.serviceNetwork = network
        self.firstServiceIP = firstIP
        self.dnsDomain = dnsDomain
        self.extraSANs = extraSANs
    }

    /// The placeholder values by name.
    public var placeholders: [String: String] {
        [
            "nodeName": nodeName,
            "advertiseAddress": advertiseAddress.description,
            "firstServiceIP": firstServiceIP.description,
            "dnsDomain": dnsDomain,
        ]
    }

    /// Replaces every `{name}` in `text`; an unknown placeholder is a profile error.
    public func expand(_ text: String) throws -> String {
        guard text.contains("{") else { return text }
        let values = placeholders
        var result = ""
        var rest = Substring(text)
        while let open = rest.firstIndex(of: "{") {
            result += rest[..<open]
            guard let close = rest[open...].firstIndex(of: "}") else {
                throw PKIError.invalidProfiles("unterminated placeholder in \"\(text)\"")
            }
            let key = String(rest[rest.index(after: open)..<close])
            guard let value = values[key] else {
                throw PKIError.invalidProfiles(
                    "unknown placeholder {\(key)} in \"\(text)\"; known: \(values.keys.sorted().joined(separator: ", "))")
            }
            result += value
            rest = rest[rest.index(after: close)...]
        }
        return result + rest
    }

    /// Why `name` is not a lowercase RFC 1123 subdomain (Kubernetes' `IsDNS1123Subdomain`), or nil.
    static func subdomainProblem(_ name: String) -> String? {
        guard !name.isEmpty else { return "must not be empty" }
        guard name.utf8.count <= 253 else { return "must be at most 253 characters" }
        for label in name.split(separator: ".", omittingEmptySubsequences: false) {
            let bytes = Array(label.utf8)
            let allowed = bytes.allSatisfy { (0x61...0x7A).contains($0) || (0x30...0x39).contains($0) || $0 == 0x2D }
            guard !bytes.isEmpty, allowed, bytes.first != 0x2D, bytes.last != 0x2D else {
                return "must be a lowercase RFC 1123 subdomain: lowercase letters, digits, '-' and '.', "
                    + "starting and ending with a letter or digit"
            }
        }
        return nil
    }
}
