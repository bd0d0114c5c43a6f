import Foundation
import KetchPKI
import Testing

/// Parameters, networks, profiles and PEM parsing.
@Suite struct InputTests {
    static let serviceCIDRs: [(String, String)] = [
        ("10.96.0.0/12", "10.96.0.1"), ("10.96.0.5/12", "10.96.0.1"), ("172.30.0.0/16", "172.30.0.1"),
        ("10.0.0.254/31", "10.0.0.255"), ("fd00::/108", "fd00::1"), ("fd00:10:96::/112", "fd00:10:96::1"),
        ("10.96.0.0/12,fd00::/108", "10.96.0.1"), ("fd00::/108,10.96.0.0/12", "fd00::1"),
    ]

    @Test(arguments: serviceCIDRs)
    func firstServiceIP(_ cidr: String, _ expected: String) throws {
        let parameters = try PKIParameters(nodeName: "n", advertiseAddress: "10.0.0.1", serviceCIDR: cidr)
        #expect(parameters.firstServiceIP.description == expected)
    }

    static let badCIDRs: [String] = ["10.96.0.0", "10.96.0.0/33", "10.0.0.1/32", "fd00::/200", "banana/12", ""]

    @Test(arguments: badCIDRs)
    func badServiceCIDR(_ cidr: String) {
        #expect {
            try PKIParameters(nodeName: "n", advertiseAddress: "10.0.0.1", serviceCIDR: cidr)
        } throws: { error in
            guard case let PKIError.invalidParameter(name, value, _) = error else { return false }
            return name == "service CIDR" && value == cidr
        }
    }

    @Test func badParameters() {
        #expect(throws: PKIError.self) { try PKIParameters(nodeName: "Node_1", advertiseAddress: "10.0.0.1") }
        #expect(throws: PKIError.self) { try PKIParameters(nodeName: "", advertiseAddress: "10.0.0.1") }
        #expect(throws: PKIError.self) { try PKIParameters(nodeName: "-a", advertiseAddress: "10.0.0.1") }
        #expect(throws: PKIError.self) { try PKIParameters(nodeName: "n", advertiseAddress: "10.0.0.300") }
        #expect(throws: PKIError.self) { try PKIParameters(nodeName: "n", advertiseAddress: "10.0.0.1", dnsDomain: "Cluster.Local") }
        #expect(throws: PKIError.self) {
            try PKIParameters(nodeName: "n", advertiseAddress: "10.0.0.1", extraSANs: ["apiserver": ["bad name"]])
        }
        let message = (try? PKIParameters(nodeName: "n", advertiseAddress: "nope")).map { _ in "" }
            ?? "\(PKIError.invalidParameter(name: "advertise address", value: "nope", reason: "not an IPv4 or IPv6 address"))"
        #expect(message == "invalid advertise address \"nope\": not an IPv4 or IPv6 address")
    }

    @Test func ipv6AdvertiseAddressAndExtraSANs() throws {
        let parameters = try PKIParameters(
            nodeName: "cp.example.com", advertiseAddress: "fd00::10", serviceCIDR: "fd00:10:96::/112",
            dnsDomain: "k8s.internal", extraSANs: ["apiserver": ["lb.example.com", "203.0.113.7", "*.apps.example.com"]])
        let profile = try #require(try PKIProfiles.kubeadm().certificate(named: "apiserver"))
        let template = try profile.template(with: parameters, now: Date()).normalized
        #expect(template.dnsNames == [
            "*.apps.example.com", "cp.example.com", "kubernetes", "kubernetes.default", "kubernetes.default.svc",
            "kubernetes.default.svc.k8s.internal", "lb.example.com",
        ])
        #expect(template.ipAddresses.map(\.description) == ["fd00:10:96::1", "fd00::10", "203.0.113.7"])
    }

    @Test func ipAddresses() {
        #expect(IPAddress("::ffff:10.1.2.3")?.description == "10.1.2.3")
        #expect(IPAddress("::1")?.bytes.count == 16)
        #expect(IPAddress("1.2.3") == nil)
        #expect(IPAddress(bytes: [1, 2, 3]) == nil)
    }

    @Test func profilesLoadFromTheBundle() throws {
        let profiles = try PKIProfiles.kubeadm()
        #expect(profiles.certificates.count == 10)
        #expect(profiles.phaseNames == [
            "ca", "apiserver", "apiserver-kubelet-client", "front-proxy-ca", "front-proxy-client", "etcd-ca",
            "etcd-server", "etcd-peer", "etcd-healthcheck-client", "apiserver-etcd-client", "sa",
        ])
        #expect(profiles.keyPairs.map(\.publicKeyFile) == ["sa.pub"])
        #expect(profiles.kubeconfigClients.map(\.name) == ["admin", "super-admin", "kubelet", "controller-manager", "scheduler"])
        #expect(profiles.backdateSeconds == 300)
    }

    @Test func inconsistentProfilesAreRejected() throws {
        var profiles = try PKIProfiles.kubeadm()
        profiles.certificates[1].signer = "nope"
        let data = try JSONEncoder().encode(profiles)
        #expect(throws: PKIError.self) { try PKIProfiles(jsonData: data) }
        #expect(throws: PKIError.self) { try PKIProfiles(jsonData: Data("{}".utf8)) }
        var unknownPlaceholder = try PKIProfiles.kubeadm()
        unknownPlaceholder.certificates[0].commonName = "{clusterName}"
        #expect(throws: PKIError.self) {
            try unknownPlaceholder.certificates[0].template(with: PKIFixture.parameters, now: Date())
        }
    }

    @Test func pemErrorsNameTheProblem() throws {
        #expect(throws: PKIError.notPEM(path: "x", expected: "certificate")) { try Certificate(pem: Data("hello".utf8), source: "x") }
        #expect(throws: PKIError.notPEM(path: "x", expected: "private key")) { try PrivateKey(pem: Data(), source: "x") }
        let key = try PrivateKey.generate(.ecdsaP256)
        #expect(throws: PKIError.wrongPEMType(path: "x", expected: "certificate", found: ["EC PRIVATE KEY"])) {
            try Certificate(pem: try key.pemEncoded(), source: "x")
        }
        #expect(throws: PKIError.wrongPEMType(path: "x", expected: "private key", found: ["PUBLIC KEY"])) {
            try PrivateKey(pem: try key.publicKeyPEM(), source: "x")
        }
        let encrypted = Data(("-----" + "BEGIN ENCRYPTED PRIVATE KEY-----\nAAAA\n-----" + "END ENCRYPTED PRIVATE KEY-----\n").utf8)
        #expect(throws: PKIError.self) { try PrivateKey(pem: encrypted, source: "x") }
        // PKCS#8 input is accepted too.
        let pkcs8 = try OpenSSLCLI.run(["genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256"])
        #expect(pkcs8.stdout.hasPrefix("-----" + "BEGIN PRIVATE KEY-----"))
        #expect(try PrivateKey(pem: Data(pkcs8.stdout.utf8)).algorithm == .ecdsaP256)
    }

    @Test func keyRoundTripsThroughPEM() throws {
        for algorithm in [KeyAlgorithm.rsa2048, .ecdsaP256] {
            let key = try PrivateKey.generate(algorithm)
            let again = try PrivateKey(pem: try key.pemEncoded())
            #expect(again.algorithm == algorithm)
            #expect(try again.pemEncoded() == (try key.pemEncoded()))
            #expect(again.matches(publicKeyPEM: try key.publicKeyPEM()))
        }
    }
}
