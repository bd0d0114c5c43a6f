import Foundation
import KetchPKI
import Testing

/// Client certificates for the kubeconfig files.
@Suite struct ClientCertificateTests {
    @Test func kubeconfigIdentitiesAreKubeadms() throws {
        let made = try SharedPKI.rsa.get()
        let profiles = try PKIProfiles.kubeadm()
        let ca = try PKIDirectory(made.path).readAuthority(try #require(profiles.certificate(named: "ca")))
        let templates = try profiles.kubeconfigClients.map { try $0.template(with: PKIFixture.parameters, now: Date()) }
        let issued = try ca.issue(templates, algorithm: .rsa2048)
        let expected = [
            "admin.conf": "O = kubeadm:cluster-admins, CN = kubernetes-admin",
            "super-admin.conf": "O = system:masters, CN = kubernetes-super-admin",
            "kubelet.conf": "O = system:nodes, CN = system:node:node-1",
            "controller-manager.conf": "CN = system:kube-controller-manager",
            "scheduler.conf": "CN = system:kube-scheduler",
        ]
        #expect(profiles.kubeconfigClients.map(\.fileName).sorted() == expected.keys.sorted())
        let directory = NSTemporaryDirectory() + "ketch-clients-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        for (profile, client) in zip(profiles.kubeconfigClients, issued) {
            let file = directory + "/\(profile.name).crt"
            try client.certificatePEM().write(to: URL(fileURLWithPath: file))
            let verify = try OpenSSLCLI.run(["verify", "-CAfile", made.path + "/ca.crt", file])
            #expect(verify.status == 0, "\(profile.name): \(verify.stderr)")
            let lines = try OpenSSLCLI.text(file)
            #expect(lines.contains("Subject: \(expected[profile.fileName]!)"))
            #expect(OpenSSLCLI.value(after: "X509v3 Extended Key Usage", in: lines) == "TLS Web Client Authentication")
            #expect(OpenSSLCLI.value(after: "X509v3 Basic Constraints", in: lines) == "CA:FALSE")
            #expect(client.key.matches(client.certificate))
            #expect(String(decoding: try client.keyPEM(), as: UTF8.self).hasPrefix("-----" + "BEGIN RSA PRIVATE KEY-----"))
        }
    }

    @Test func genericClientCertificate() throws {
        let key = try PrivateKey.generate(.ecdsaP256)
        let now = Date()
        let ca = try CertificateAuthority.selfSigned(
            CertificateTemplate(subject: CertificateSubject(commonName: "test-ca"), validity: 86400, now: now), key: key)
        let client = try ca.issueClientCertificate(
            commonName: "jane", organizations: ["dev", "ops"], validity: 3600, algorithm: .ecdsaP256, now: now)
        #expect(client.certificate.subject == CertificateSubject(commonName: "jane", organizations: ["dev", "ops"]))
        #expect(client.certificate.issuer.commonName == "test-ca")
        #expect(client.certificate.notAfter.timeIntervalSince(client.certificate.notBefore) == 3600 + 300)
        #expect(client.certificate.isIssued(by: ca.certificate))
        #expect(client.certificate.dnsNames.isEmpty)
    }
}
