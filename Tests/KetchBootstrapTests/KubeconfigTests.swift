import KubeCore
import Foundation
import Testing
@testable import KetchBootstrap

@Suite struct KubeconfigTests {
    @Test func writesKubeadmShapeThatKubectlReads() throws {
        let dir = try TestDirectory()
        let pki = try TestPKI(dir.layout.pki)
        let writer = KubeconfigWriter(layout: dir.layout)
        let server = "https://127.0.0.1:6443"
        for file in KubeconfigFile.allCases {
            let identity = file.identity(nodeName: "ketch-node")
            let credentials = try pki.clientCredentials(identity)
            let path = try writer.write(file, nodeName: "ketch-node", server: server, caPEM: try pki.caPEM,
                                        credentials: credentials)
            #expect(path == dir.path + "/kubernetes/" + file.fileName)

            let mode = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int
            #expect(mode == 0o600)

            let text = try String(contentsOfFile: path, encoding: .utf8)
            #expect(text.hasPrefix("apiVersion: v1\nclusters:\n- cluster:\n    certificate-authority-data: "))
            #expect(text.contains("\ncurrent-context: \(identity.commonName)@kubernetes\nkind: Config\npreferences: {}\nusers:\n- name: \(identity.commonName)\n  user:\n    client-certificate-data: "))

            guard onPath("kubectl") else { continue }
            let view = try run(["kubectl", "config", "view", "--kubeconfig", path, "--raw", "-o", "json"])
            #expect(view.status == 0, "\(view.stderr)")
            let json = try JSONValue(parsing: Data(view.stdout.utf8))
            #expect(json["current-context"]?.string == "\(identity.commonName)@kubernetes")
            let cluster = json["clusters"]?.array?.first
            #expect(cluster?["name"]?.string == "kubernetes")
            #expect(cluster?["cluster"]?["server"]?.string == server)
            let caData = cluster?["cluster"]?["certificate-authority-data"]?.string ?? ""
            #expect(Data(base64Encoded: caData) == Data(try pki.caPEM.utf8))
            let user = json["users"]?.array?.first
            #expect(user?["name"]?.string == identity.commonName)
            let certData = user?["user"]?["client-certificate-data"]?.string ?? ""
            #expect(Data(base64Encoded: certData) == Data(credentials.certificatePEM.utf8))
            let keyData = user?["user"]?["client-key-data"]?.string ?? ""
            #expect(Data(base64Encoded: keyData) == Data(credentials.keyPEM.utf8))

            // The embedded certificate chains to the embedded CA and carries kubeadm's subject.
            let certPath = dir.path + "/embedded.crt", caPath = dir.path + "/embedded-ca.crt"
            try credentials.certificatePEM.write(toFile: certPath, atomically: true, encoding: .utf8)
            try pki.caPEM.write(toFile: caPath, atomically: true, encoding: .utf8)
            let verify = try run(["openssl", "verify", "-CAfile", caPath, certPath])
            #expect(verify.status == 0, "\(verify.stdout)\(verify.stderr)")
            let subject = try run(["openssl", "x509", "-in", certPath, "-noout", "-subject", "-nameopt", "RFC2253"])
            #expect(subject.stdout.contains("CN=\(identity.commonName)"))
            for o in identity.organizations { #expect(subject.stdout.contains("O=\(o)")) }
        }
    }

    @Test func identitiesAreKubeadms() {
        #expect(KubeconfigFile.admin.identity(nodeName: "n") == ClientIdentity(commonName: "kubernetes-admin", organizations: ["kubeadm:cluster-admins"]))
        #expect(KubeconfigFile.superAdmin.identity(nodeName: "n") == ClientIdentity(commonName: "kubernetes-super-admin", organizations: ["system:masters"]))
        #expect(KubeconfigFile.kubelet.identity(nodeName: "n") == ClientIdentity(commonName: "system:node:n", organizations: ["system:nodes"]))
        #expect(KubeconfigFile.controllerManager.identity(nodeName: "n").commonName == "system:kube-controller-manager")
        #expect(KubeconfigFile.scheduler.identity(nodeName: "n").commonName == "system:kube-scheduler")
        #expect(KubeconfigFile.allCases.map(\.fileName) == ["admin.conf", "super-admin.conf", "kubelet.conf", "controller-manager.conf", "scheduler.conf"])
    }

    @Test func ensureKeepsAMatchingFileAndRefusesAnotherCluster() throws {
        let dir = try TestDirectory()
        let writer = KubeconfigWriter(layout: dir.layout)
        let credentials = ClientCredentials(certificatePEM: "CERT", keyPEM: "KEY")
        var made = 0
        let make = { () -> ClientCredentials in made += 1; return credentials }
        #expect(try writer.ensure(.admin, nodeName: "n", server: "https://127.0.0.1:6443", caPEM: "CA", credentials: make) == .written)
        let before = try String(contentsOfFile: dir.layout.kubeconfig(.admin), encoding: .utf8)
        #expect(try writer.ensure(.admin, nodeName: "n", server: "https://127.0.0.1:6443", caPEM: "CA", credentials: make) == .kept)
        #expect(made == 1)
        #expect(try String(contentsOfFile: dir.layout.kubeconfig(.admin), encoding: .utf8) == before)

        #expect(throws: BootstrapError.self) {
            try writer.ensure(.admin, nodeName: "n", server: "https://127.0.0.1:6443", caPEM: "OTHER CA", credentials: make)
        }
        #expect(throws: BootstrapError.self) {
            try writer.ensure(.admin, nodeName: "n", server: "https://10.0.0.1:6443", caPEM: "CA", credentials: make)
        }
        #expect(try String(contentsOfFile: dir.layout.kubeconfig(.admin), encoding: .utf8) == before)
    }

    @Test func clusterInfoHasNoUser() throws {
        let text = try Kubeconfig.clusterInfo(server: "https://127.0.0.1:6443", caPEM: "CA").yaml()
        #expect(text.contains("  name: ''\ncontexts: null\ncurrent-context: ''\nkind: Config\npreferences: {}\nusers: null\n"))
    }
}
