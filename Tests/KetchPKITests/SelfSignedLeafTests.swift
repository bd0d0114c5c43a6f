import Foundation
import KetchPKI
import Testing

/// Self-signed end-entity certificates, as etcd's `--auto-tls` makes them, and reading
/// certificates and PEM files the way TLS peers and key files hand them over.
@Suite struct SelfSignedLeafTests {
    @Test func etcdAutoTLSCertificateIsGoShaped() throws {
        let now = Date()
        let template = CertificateTemplate(
            subject: CertificateSubject(commonName: "", organizations: ["etcd"]), usages: [.serverAuth],
            dnsNames: ["localhost"], ipAddresses: [IPAddress("127.0.0.1")!, IPAddress("::1")!],
            notBefore: now, notAfter: now.addingTimeInterval(365 * 86400))
        let issued = try IssuedCertificate.selfSigned(template, key: try PrivateKey.generate(curve: .p521))
        #expect(issued.certificate.subject == CertificateSubject(commonName: "", organizations: ["etcd"]))
        #expect(!issued.certificate.isCA)
        #expect(issued.certificate.extendedKeyUsages == [.serverAuth])
        #expect(issued.certificate.ipAddresses.map(\.description) == ["127.0.0.1", "::1"])
        #expect(issued.key.algorithm == nil)  // P-521 is no kubeadm key type
        #expect(String(decoding: try issued.keyPEM(), as: UTF8.self).hasPrefix("-----" + "BEGIN EC PRIVATE KEY-----"))

        let directory = NSTemporaryDirectory() + "ketch-selfsigned-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let file = directory + "/cert.pem"
        try issued.certificatePEM().write(to: URL(fileURLWithPath: file))
        let lines = try OpenSSLCLI.text(file)
        #expect(lines.contains("Subject: O = etcd"))
        #expect(lines.contains("Issuer: O = etcd"))
        #expect(lines.contains("Signature Algorithm: ecdsa-with-SHA512"))
        #expect(lines.contains("ASN1 OID: secp521r1"))
        #expect(OpenSSLCLI.value(after: "X509v3 Key Usage", in: lines) == "Digital Signature, Key Encipherment")
        #expect(OpenSSLCLI.value(after: "X509v3 Basic Constraints", in: lines) == "CA:FALSE")
        #expect(OpenSSLCLI.value(after: "X509v3 Subject Alternative Name", in: lines)
                == "DNS:localhost, IP Address:127.0.0.1, IP Address:0:0:0:0:0:0:0:1")
        #expect(try OpenSSLCLI.run(["verify", "-CAfile", file, "-purpose", "sslserver", file]).status == 0)
    }

    @Test func kubeadmCertificatesStillNeedACommonName() throws {
        let key = try PrivateKey.generate(.ecdsaP256)
        let nameless = CertificateTemplate(subject: CertificateSubject(commonName: "", organizations: ["o"]), validity: 3600)
        #expect(throws: PKIError.self) { try CertificateAuthority.selfSigned(nameless, key: key) }
        let ca = try CertificateAuthority.selfSigned(
            CertificateTemplate(subject: CertificateSubject(commonName: "ca"), validity: 3600), key: key)
        #expect(throws: PKIError.self) { try ca.issue(nameless, for: key) }
    }

    @Test func derCertificatesParse() throws {
        let made = try SharedPKI.rsa.get()
        let pem = try Data(contentsOf: URL(fileURLWithPath: made.path + "/apiserver-kubelet-client.crt"))
        let body = try #require(PEMBlock.blocks(in: String(decoding: pem, as: UTF8.self)).first)
        let base64 = body.text.split(separator: "\n").filter { !$0.hasPrefix("-----") }.joined()
        let der = try #require(Data(base64Encoded: base64))
        let certificate = try Certificate(der: Array(der))
        #expect(certificate.subject == CertificateSubject(
            commonName: "kube-apiserver-kubelet-client", organizations: ["kubeadm:cluster-admins"]))
        #expect(throws: PKIError.self) { try Certificate(der: Array(der.prefix(40))) }
    }

    @Test func pemFilesSplitIntoCompleteBlocks() {
        let text = """
            preamble
            -----BEGIN PUBLIC KEY-----
            QUJD
            -----END PUBLIC KEY-----
              -----BEGIN TEST BLOCK-----
            REVG
              -----END TEST BLOCK-----
            -----BEGIN CERTIFICATE-----
            truncated
            """
        let blocks = PEMBlock.blocks(in: text)
        #expect(blocks.map(\.label) == ["PUBLIC KEY", "TEST BLOCK"])
        #expect(blocks.first?.text == "-----BEGIN PUBLIC KEY-----\nQUJD\n-----END PUBLIC KEY-----\n")
        #expect(blocks.last?.text == "-----BEGIN TEST BLOCK-----\nREVG\n-----END TEST BLOCK-----\n")
    }
}
