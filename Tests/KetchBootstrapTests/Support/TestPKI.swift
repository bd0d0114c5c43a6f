import Foundation
@testable import KetchBootstrap

/// Certificates made with the openssl CLI into a layout's pki directory, standing in for what
/// KetchPKI makes: the cluster CA, the front-proxy CA, the etcd CA with server, peer and
/// client certificates, and client certificates for kubeconfigs.
struct TestPKI {
    let pki: PKIFiles

    /// Makes the CAs and etcd certificates for a node on 127.0.0.1.
    init(_ pki: PKIFiles) throws {
        self.pki = pki
        try FileManager.default.createDirectory(atPath: pki.etcdDirectory, withIntermediateDirectories: true)
        try makeCA(pki.ca, "kubernetes")
        try makeCA(pki.frontProxyCA, "front-proxy-ca")
        try makeCA(pki.etcdCA, "etcd-ca")
        let san = "subjectAltName=DNS:ketch-node,DNS:localhost,IP:127.0.0.1,IP:0:0:0:0:0:0:0:1\n"
        try sign(pki.etcdServer, by: pki.etcdCA, subject: "/CN=ketch-node", ext: san + "extendedKeyUsage=serverAuth,clientAuth\n")
        try sign(pki.etcdPeer, by: pki.etcdCA, subject: "/CN=ketch-node", ext: san + "extendedKeyUsage=serverAuth,clientAuth\n")
        try sign(pki.apiServerEtcdClient, by: pki.etcdCA, subject: "/CN=kube-apiserver-etcd-client",
                 ext: "extendedKeyUsage=clientAuth\n")
    }

    var caPEM: String { get throws { try String(contentsOfFile: pki.ca.certificate, encoding: .utf8) } }
    var frontProxyCAPEM: String { get throws { try String(contentsOfFile: pki.frontProxyCA.certificate, encoding: .utf8) } }

    /// A client certificate for `identity`, signed by the cluster CA, as PEM strings.
    func clientCredentials(_ identity: ClientIdentity) throws -> ClientCredentials {
        let base = pki.directory + "/client-" + UUID().uuidString.prefix(8)
        let files = CertificateKeyFiles(certificate: base + ".crt", key: base + ".key")
        let subject = identity.organizations.map { "/O=\($0)" }.joined() + "/CN=\(identity.commonName)"
        try sign(files, by: pki.ca, subject: subject, ext: "extendedKeyUsage=clientAuth\n")
        defer {
            try? FileManager.default.removeItem(atPath: files.certificate)
            try? FileManager.default.removeItem(atPath: files.key)
        }
        return ClientCredentials(certificatePEM: try String(contentsOfFile: files.certificate, encoding: .utf8),
                                 keyPEM: try String(contentsOfFile: files.key, encoding: .utf8))
    }

    private func makeCA(_ files: CertificateKeyFiles, _ cn: String) throws {
        try openssl(["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", files.key, "-out", files.certificate,
                     "-days", "2", "-subj", "/CN=\(cn)"])
    }

    private func sign(_ files: CertificateKeyFiles, by ca: CertificateKeyFiles, subject: String, ext: String) throws {
        let csr = files.certificate + ".csr", extFile = files.certificate + ".ext"
        try ext.write(toFile: extFile, atomically: true, encoding: .utf8)
        defer {
            try? FileManager.default.removeItem(atPath: csr)
            try? FileManager.default.removeItem(atPath: extFile)
        }
        try openssl(["req", "-newkey", "rsa:2048", "-nodes", "-keyout", files.key, "-out", csr, "-subj", subject])
        try openssl(["x509", "-req", "-in", csr, "-CA", ca.certificate, "-CAkey", ca.key, "-CAcreateserial",
                     "-out", files.certificate, "-days", "2", "-extfile", extFile])
    }

    private func openssl(_ args: [String]) throws {
        let r = try run(["openssl"] + args)
        guard r.status == 0 else { throw BootstrapError.fileSystem(path: "openssl", reason: r.stderr) }
    }
}
