import Foundation
import KubeClient
import Testing

/// Kubeconfigs resolve as client-go's clientcmd resolves them.
@Suite struct KubeConfigTests {
    func directory() throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("kubeconfig-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir
    }

    @Test func embeddedDataOfTheCurrentContext() throws {
        let yaml = """
        apiVersion: v1
        kind: Config
        clusters:
        - name: other
          cluster: {server: "https://other:1"}
        - name: kubernetes
          cluster:
            certificate-authority-data: \(Data("CA PEM".utf8).base64EncodedString())
            server: https://127.0.0.1:6443
        contexts:
        - name: admin@kubernetes
          context: {cluster: kubernetes, user: admin, namespace: dev}
        current-context: admin@kubernetes
        users:
        - name: admin
          user:
            client-certificate-data: \(Data("CERT".utf8).base64EncodedString())
            client-key-data: \(Data("KEY".utf8).base64EncodedString())
        """
        let config = try KubeConfig(yaml: yaml, directory: "/nowhere", source: "admin.conf")
        #expect(config.server.absoluteString == "https://127.0.0.1:6443")
        #expect(config.certificateAuthorityPEM == Data("CA PEM".utf8))
        #expect(config.clientCertificatePEM == Data("CERT".utf8))
        #expect(config.clientKeyPEM == Data("KEY".utf8))
        #expect(config.namespace == "dev")
        #expect(config.contextName == "admin@kubernetes")
    }

    @Test func relativePathsResolveAgainstTheFile() throws {
        let dir = try directory()
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("pki"), withIntermediateDirectories: true)
        try Data("CA".utf8).write(to: dir.appendingPathComponent("pki/ca.crt"))
        try Data("TOKEN\n".utf8).write(to: dir.appendingPathComponent("token"))
        let yaml = """
        clusters:
        - name: c
          cluster: {server: "https://h:6443", certificate-authority: pki/ca.crt}
        contexts:
        - {name: x, context: {cluster: c, user: u}}
        users:
        - {name: u, user: {tokenFile: token}}
        current-context: x
        """
        let path = dir.appendingPathComponent("config").path
        try yaml.write(toFile: path, atomically: true, encoding: .utf8)
        let config = try KubeConfig.load(path: path)
        #expect(config.certificateAuthorityPEM == Data("CA".utf8))
        #expect(config.bearerToken == "TOKEN")
        #expect(config.clientCertificatePEM == nil)
    }

    @Test func errorsNameTheFileAndField() throws {
        let dir = try directory()
        let base = """
        clusters:
        - name: c
          cluster: {server: "https://h:6443"}
        contexts:
        - {name: x, context: {cluster: c, user: u}}
        users:
        - {name: u, user: {client-certificate: missing.crt, client-key: missing.key}}
        """
        #expect(throws: KubeConfigError("k.conf: current-context is not set and no context was given")) {
            try KubeConfig(yaml: base, directory: dir.path, source: "k.conf")
        }
        #expect(throws: KubeConfigError("k.conf: context \"y\" does not exist (contexts[].name)")) {
            try KubeConfig(yaml: base, directory: dir.path, source: "k.conf", context: "y")
        }
        do {
            _ = try KubeConfig(yaml: base, directory: dir.path, source: "k.conf", context: "x")
            Issue.record("a missing client certificate must fail")
        } catch let error as KubeConfigError {
            #expect(error.message.hasPrefix("k.conf: users[\"u\"].user.client-certificate: cannot read \(dir.path)/missing.crt"))
        }
        #expect(throws: KubeConfigError.self) { try KubeConfig.load(path: dir.appendingPathComponent("absent").path) }
    }
}
