import Foundation
import KetchPKI
import Testing

/// A freshly generated RSA PKI, judged by the openssl command line.
@Suite struct GeneratedPKITests {
    let made: SharedPKI.Made
    var fixture: PKIFixture { PKIFixture.at(made.path) }

    init() throws {
        made = try SharedPKI.rsa.get()
    }

    @Test func printsKubeadmLines() {
        #expect(made.events == [
            "[certs] Using certificateDir folder \"\(made.path)\"",
            "[certs] Generating \"ca\" certificate and key",
            "[certs] Generating \"apiserver\" certificate and key",
            "[certs] apiserver serving cert is signed for DNS names [kubernetes kubernetes.default kubernetes.default.svc "
                + "kubernetes.default.svc.cluster.local node-1] and IPs [10.96.0.1 192.168.1.10]",
            "[certs] Generating \"apiserver-kubelet-client\" certificate and key",
            "[certs] Generating \"front-proxy-ca\" certificate and key",
            "[certs] Generating \"front-proxy-client\" certificate and key",
            "[certs] Generating \"etcd/ca\" certificate and key",
            "[certs] Generating \"etcd/server\" certificate and key",
            "[certs] etcd/server serving cert is signed for DNS names [localhost node-1] and IPs [192.168.1.10 127.0.0.1 ::1]",
            "[certs] Generating \"etcd/peer\" certificate and key",
            "[certs] etcd/peer serving cert is signed for DNS names [localhost node-1] and IPs [192.168.1.10 127.0.0.1 ::1]",
            "[certs] Generating \"etcd/healthcheck-client\" certificate and key",
            "[certs] Generating \"apiserver-etcd-client\" certificate and key",
            "[certs] Generating \"sa\" key and public key",
        ])
    }

    @Test(arguments: ExpectedCertificate.kubeadm)
    func chainVerifies(_ expected: ExpectedCertificate) throws {
        let output = try OpenSSLCLI.run(["verify", "-CAfile", expected.authorityFile, expected.file], in: made.path)
        #expect(output.status == 0, "\(output.stderr)")
        #expect(output.stdout == "\(expected.file): OK\n")
    }

    @Test func leavesDoNotVerifyAgainstTheWrongCA() throws {
        let output = try OpenSSLCLI.run(["verify", "-CAfile", "ca.crt", "etcd/server.crt"], in: made.path)
        #expect(output.status != 0)
    }

    @Test(arguments: ExpectedCertificate.kubeadm)
    func fieldsReadBackWithOpenSSL(_ expected: ExpectedCertificate) throws {
        let lines = try OpenSSLCLI.text(fixture.file(expected.file))
        #expect(lines.contains("Version: 3 (0x2)"))
        #expect(lines.contains("Subject: \(expected.subject)"))
        #expect(lines.contains("Signature Algorithm: sha256WithRSAEncryption"))
        let issuer = try OpenSSLCLI.text(fixture.file(expected.authorityFile)).first { $0.hasPrefix("Subject: ") }!
        #expect(lines.contains("Issuer: " + issuer.dropFirst("Subject: ".count)))

        #expect(lines.contains("X509v3 Basic Constraints: critical"))
        #expect(OpenSSLCLI.value(after: "X509v3 Basic Constraints", in: lines) == (expected.isCA ? "CA:TRUE" : "CA:FALSE"))
        #expect(lines.contains("X509v3 Key Usage: critical"))
        let keyUsage = expected.isCA
            ? "Digital Signature, Key Encipherment, Certificate Sign" : "Digital Signature, Key Encipherment"
        #expect(OpenSSLCLI.value(after: "X509v3 Key Usage", in: lines) == keyUsage)
        #expect(OpenSSLCLI.value(after: "X509v3 Extended Key Usage", in: lines) == expected.extendedKeyUsage)
        let sans = OpenSSLCLI.value(after: "X509v3 Subject Alternative Name", in: lines) ?? ""
        #expect(sans == expected.subjectAltName)

        // Key identifiers as Go writes them: SKI on CAs, AKI (= the CA's SKI) on what they sign.
        if expected.isCA {
            #expect(OpenSSLCLI.value(after: "X509v3 Subject Key Identifier", in: lines) != nil)
            #expect(OpenSSLCLI.value(after: "X509v3 Authority Key Identifier", in: lines) == nil)
        } else {
            let authority = try OpenSSLCLI.text(fixture.file(expected.authorityFile))
            let ski = OpenSSLCLI.value(after: "X509v3 Subject Key Identifier", in: authority)
            let aki = OpenSSLCLI.value(after: "X509v3 Authority Key Identifier", in: lines)?
                .replacingOccurrences(of: "keyid:", with: "")
            #expect(ski != nil && aki == ski)
        }
    }

    @Test(arguments: ExpectedCertificate.kubeadm)
    func validityIsKubeadms(_ expected: ExpectedCertificate) throws {
        let lines = try OpenSSLCLI.text(fixture.file(expected.file))
        let notBefore = try #require(Self.date(lines, "Not Before:"))
        let notAfter = try #require(Self.date(lines, "Not After :"))
        // notBefore is backdated 5 minutes; notAfter counts from issuance.
        #expect(notAfter.timeIntervalSince(notBefore) == TimeInterval(expected.validityDays * 86400 + 300))
        #expect(abs(notBefore.addingTimeInterval(300).timeIntervalSinceNow) < 600)
    }

    @Test(arguments: ExpectedCertificate.kubeadm)
    func serialIsPositiveAnd63Bit(_ expected: ExpectedCertificate) throws {
        let output = try OpenSSLCLI.run(["x509", "-noout", "-serial", "-in", expected.file], in: made.path)
        let hex = output.stdout.trimmingCharacters(in: .whitespacesAndNewlines).replacingOccurrences(of: "serial=", with: "")
        let value = try #require(UInt64(hex, radix: 16))
        #expect(value >= 1 && value <= UInt64(Int64.max))
    }

    @Test(arguments: ExpectedCertificate.keyFiles)
    func keysAreTraditionalRSAAndPrivate(_ file: String) throws {
        #expect(try fixture.mode(file) == 0o600)
        let pem = String(decoding: try fixture.bytes(file), as: UTF8.self)
        #expect(pem.hasPrefix("-----" + "BEGIN RSA PRIVATE KEY-----\n"))
        let check = try OpenSSLCLI.run(["rsa", "-check", "-noout", "-in", file], in: made.path)
        #expect(check.status == 0 && check.stdout.contains("RSA key ok"), "\(check.stderr)")
        let pkey = try OpenSSLCLI.run(["pkey", "-noout", "-in", file], in: made.path)
        #expect(pkey.status == 0, "\(pkey.stderr)")
    }

    @Test(arguments: ExpectedCertificate.kubeadm)
    func certificatesAre0644AndMatchTheirKeys(_ expected: ExpectedCertificate) throws {
        #expect(try fixture.mode(expected.file) == 0o644)
        let keyFile = String(expected.file.dropLast(4)) + ".key"
        let fromCertificate = try OpenSSLCLI.run(["x509", "-noout", "-pubkey", "-in", expected.file], in: made.path)
        let fromKey = try OpenSSLCLI.run(["pkey", "-pubout", "-in", keyFile], in: made.path)
        #expect(fromCertificate.status == 0 && fromCertificate.stdout == fromKey.stdout)
    }

    @Test func directoriesAre0755() throws {
        #expect(try fixture.mode("") == 0o755)
        #expect(try fixture.mode("etcd") == 0o755)
    }

    @Test func serviceAccountPublicKeyMatchesItsKey() throws {
        #expect(try fixture.mode("sa.pub") == 0o600)  // kubeadm writes sa.pub through keyutil.WriteKey
        let pub = String(decoding: try fixture.bytes("sa.pub"), as: UTF8.self)
        #expect(pub.hasPrefix("-----BEGIN PUBLIC KEY-----\n"))
        let derived = try OpenSSLCLI.run(["pkey", "-pubout", "-in", "sa.key"], in: made.path)
        #expect(derived.stdout == pub)
    }

    @Test func exactlyKubeadmsFilesAndNoLeftovers() throws {
        let files = Set(try fixture.snapshot().keys)
        let expected = Set(ExpectedCertificate.kubeadm.map(\.file) + ExpectedCertificate.keyFiles + ["sa.pub"])
        #expect(files == expected)
        #expect(files.count == 22)
    }

    @Test func swiftReadsBackWhatOpenSSLSees() throws {
        let directory = PKIDirectory(made.path)
        let apiserver = try directory.readCertificate("apiserver.crt")
        #expect(apiserver.subject == CertificateSubject(commonName: "kube-apiserver"))
        #expect(apiserver.issuer.commonName == "kubernetes")
        #expect(apiserver.dnsNames.contains("kubernetes.default.svc.cluster.local"))
        #expect(apiserver.ipAddresses.map(\.description) == ["10.96.0.1", "192.168.1.10"])
        #expect(apiserver.extendedKeyUsages == [.serverAuth])
        #expect(!apiserver.isCA)
        #expect(apiserver.keyAlgorithm == .rsa2048)
        let ca = try directory.readCertificate("ca.crt")
        #expect(ca.isCA)
        #expect(apiserver.isIssued(by: ca))
        #expect(!ca.isIssued(by: apiserver))
        let etcdServer = try directory.readCertificate("etcd/server.crt")
        #expect(etcdServer.ipAddresses.map(\.description) == ["192.168.1.10", "127.0.0.1", "::1"])
        #expect(etcdServer.extendedKeyUsages == [.serverAuth, .clientAuth])
        let pair = try directory.readPair(certFile: "apiserver.crt", keyFile: "apiserver.key")
        #expect(pair.key.matches(pair.certificate))
        #expect(!pair.key.matches(ca))
    }

    static func date(_ lines: [String], _ prefix: String) -> Date? {
        guard let line = lines.first(where: { $0.hasPrefix(prefix) }) else { return nil }
        let text = line.dropFirst(prefix.count).split(separator: " ").joined(separator: " ")
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "MMM d HH:mm:ss yyyy 'GMT'"
        return formatter.date(from: text)
    }
}

extension PKIFixture {
    /// A fixture over an existing directory (shared, read-only).
    static func at(_ path: String) -> PKIFixture { PKIFixture(existing: path) }
}
