import Foundation
import Testing
import Yams
@testable import KetchBootstrap

@Suite struct StaticPodManifestTests {
    private func render(_ c: ControlPlaneConfiguration, _ component: ControlPlaneComponent) throws -> Node {
        let yaml = try StaticPodManifestWriter(controlPlane: try c.resolved()).render(component)
        #expect(!yaml.contains("${"))
        return try #require(try Yams.compose(yaml: yaml))
    }

    private func flags(_ pod: Node) -> [String: String] {
        var out: [String: String] = [:]
        for arg in pod["spec"]?["containers"]?[0]?["command"]?.sequence?.compactMap(\.string).dropFirst() ?? [] {
            let parts = arg.dropFirst(2).split(separator: "=", maxSplits: 1)
            out[String(parts[0])] = parts.count > 1 ? String(parts[1]) : ""
        }
        return out
    }

    @Test func everyManifestHasKubeadmsPodShape() throws {
        let dir = try TestDirectory()
        let c = testConfiguration(dir)
        for component in ControlPlaneComponent.allCases {
            let pod = try render(c, component)
            #expect(pod["apiVersion"]?.string == "v1")
            #expect(pod["kind"]?.string == "Pod")
            #expect(pod["metadata"]?["name"]?.string == component.rawValue)
            #expect(pod["metadata"]?["namespace"]?.string == "kube-system")
            #expect(pod["metadata"]?["labels"]?["component"]?.string == component.rawValue)
            #expect(pod["metadata"]?["labels"]?["tier"]?.string == "control-plane")
            #expect(pod["spec"]?["hostNetwork"]?.bool == true)
            #expect(pod["spec"]?["priorityClassName"]?.string == "system-node-critical")
            #expect(pod["spec"]?["priority"]?.int == 2000001000)
            #expect(pod["spec"]?["securityContext"]?["seccompProfile"]?["type"]?.string == "RuntimeDefault")
            let container = try #require(pod["spec"]?["containers"]?[0])
            #expect(container["command"]?[0]?.string == component.rawValue)
            #expect(container["livenessProbe"]?["httpGet"]?["port"]?.int != nil)
            #expect(container["startupProbe"] != nil)
            #expect(container["resources"]?["requests"]?["cpu"]?.string != nil)
            // Volumes under the state dir point at files Ketch writes; the rest are host CA folders.
            for volume in pod["spec"]?["volumes"]?.sequence ?? [] {
                let path = volume["hostPath"]?["path"]?.string ?? ""
                #expect(path.hasPrefix(dir.path) || path.hasPrefix("/etc/") || path.hasPrefix("/usr/"), "\(path)")
            }
            let mounts = container["volumeMounts"]?.sequence?.compactMap { $0["mountPath"]?.string } ?? []
            let hostPaths = pod["spec"]?["volumes"]?.sequence?.compactMap { $0["hostPath"]?["path"]?.string } ?? []
            #expect(Set(mounts) == Set(hostPaths))
        }
    }

    @Test func etcdCommandIsKubeadms() throws {
        let dir = try TestDirectory()
        var c = testConfiguration(dir)
        c.advertiseAddress = "192.168.0.10"
        let pod = try render(c, .etcd)
        let f = flags(pod)
        let pki = dir.layout.pki
        #expect(f == [
            "advertise-client-urls": "https://192.168.0.10:2379",
            "cert-file": pki.etcdServer.certificate,
            "client-cert-auth": "true",
            "data-dir": dir.path + "/etcd",
            "experimental-initial-corrupt-check": "true",
            "experimental-watch-progress-notify-interval": "5s",
            "initial-advertise-peer-urls": "https://192.168.0.10:2380",
            "initial-cluster": "ketch-node=https://192.168.0.10:2380",
            "key-file": pki.etcdServer.key,
            "listen-client-urls": "https://127.0.0.1:2379,https://192.168.0.10:2379",
            "listen-metrics-urls": "http://127.0.0.1:2381",
            "listen-peer-urls": "https://192.168.0.10:2380",
            "name": "ketch-node",
            "peer-cert-file": pki.etcdPeer.certificate,
            "peer-client-cert-auth": "true",
            "peer-key-file": pki.etcdPeer.key,
            "peer-trusted-ca-file": pki.etcdCA.certificate,
            "snapshot-count": "10000",
            "trusted-ca-file": pki.etcdCA.certificate,
        ])
        let command = pod["spec"]?["containers"]?[0]?["command"]?.sequence?.compactMap(\.string) ?? []
        #expect(Array(command.dropFirst()) == command.dropFirst().sorted(), "kubeadm sorts the flags")
        #expect(pod["metadata"]?["annotations"]?["kubeadm.kubernetes.io/etcd.advertise-client-urls"]?.string == "https://192.168.0.10:2379")
        #expect(pod["spec"]?["containers"]?[0]?["image"]?.string == "registry.k8s.io/etcd:3.5.21-0")
        #expect(pod["spec"]?["containers"]?[0]?["livenessProbe"]?["httpGet"]?["port"]?.int == 2381)
        #expect(pod["spec"]?["containers"]?[0]?["resources"]?["requests"]?["memory"]?.string == "100Mi")
    }

    @Test func loopbackAdvertiseListensOnce() throws {
        let dir = try TestDirectory()
        let f = flags(try render(testConfiguration(dir), .etcd))
        #expect(f["listen-client-urls"] == "https://127.0.0.1:2379")
    }

    @Test func ipv6UsesBracketsInURLsOnly() throws {
        let dir = try TestDirectory()
        var c = testConfiguration(dir)
        c.advertiseAddress = "fd00::10"
        c.serviceCIDR = "fd00:96::/108"
        let etcd = try render(c, .etcd)
        #expect(flags(etcd)["listen-client-urls"] == "https://[::1]:2379,https://[fd00::10]:2379")
        #expect(etcd["spec"]?["containers"]?[0]?["livenessProbe"]?["httpGet"]?["host"]?.string == "::1")
        let apiserver = try render(c, .kubeAPIServer)
        #expect(flags(apiserver)["advertise-address"] == "fd00::10")
        #expect(flags(apiserver)["etcd-servers"] == "https://[::1]:2379")
        #expect(apiserver["metadata"]?["annotations"]?["kubeadm.kubernetes.io/kube-apiserver.advertise-address.endpoint"]?.string == "[fd00::10]:6443")
    }

    @Test func apiServerFlagsPointAtTheStateDir() throws {
        let dir = try TestDirectory()
        var c = testConfiguration(dir, apiServerPort: 16443, etcdClientPort: 12379)
        c.kubernetesVersion = "v1.33.1"
        let pod = try render(c, .kubeAPIServer)
        let f = flags(pod)
        let pki = dir.layout.pki
        #expect(f["etcd-servers"] == "https://127.0.0.1:12379")
        #expect(f["etcd-cafile"] == pki.etcdCA.certificate)
        #expect(f["etcd-certfile"] == pki.apiServerEtcdClient.certificate)
        #expect(f["etcd-keyfile"] == pki.apiServerEtcdClient.key)
        #expect(f["secure-port"] == "16443")
        #expect(f["advertise-address"] == "127.0.0.1")
        #expect(f["tls-cert-file"] == pki.apiServer.certificate)
        #expect(f["tls-private-key-file"] == pki.apiServer.key)
        #expect(f["client-ca-file"] == pki.ca.certificate)
        #expect(f["service-account-key-file"] == pki.serviceAccountPublicKey)
        #expect(f["service-account-signing-key-file"] == pki.serviceAccountKey)
        #expect(f["service-account-issuer"] == "https://kubernetes.default.svc.cluster.local")
        #expect(f["service-cluster-ip-range"] == "10.96.0.0/12")
        #expect(f["authorization-mode"] == "Node,RBAC")
        #expect(f["requestheader-client-ca-file"] == pki.frontProxyCA.certificate)
        #expect(f["enable-bootstrap-token-auth"] == "true")
        #expect(pod["spec"]?["containers"]?[0]?["image"]?.string == "registry.k8s.io/kube-apiserver:v1.33.1")
        #expect(pod["spec"]?["containers"]?[0]?["readinessProbe"]?["httpGet"]?["port"]?.int == 16443)
        #expect(pod["spec"]?["containers"]?[0]?["readinessProbe"]?["httpGet"]?["scheme"]?.string == "HTTPS")
    }

    @Test func podCIDRAddsNodeCIDRFlags() throws {
        let dir = try TestDirectory()
        var c = testConfiguration(dir)
        #expect(flags(try render(c, .kubeControllerManager))["cluster-cidr"] == nil)
        #expect(flags(try render(c, .kubeControllerManager))["allocate-node-cidrs"] == nil)
        c.podCIDR = "10.244.0.0/16"
        let f = flags(try render(c, .kubeControllerManager))
        #expect(f["cluster-cidr"] == "10.244.0.0/16")
        #expect(f["allocate-node-cidrs"] == "true")
        #expect(f["kubeconfig"] == dir.layout.kubeconfig(.controllerManager))
        #expect(f["cluster-signing-key-file"] == dir.layout.pki.ca.key)
        #expect(f["controllers"] == "*,bootstrapsigner,tokencleaner")
        #expect(flags(try render(c, .kubeScheduler))["kubeconfig"] == dir.layout.kubeconfig(.scheduler))
    }

    @Test func writeAllWritesModeSixHundredAndReadsBack() throws {
        let dir = try TestDirectory()
        let c = testConfiguration(dir)
        let paths = try StaticPodManifestWriter(controlPlane: try c.resolved()).writeAll()
        #expect(paths == ControlPlaneComponent.allCases.map(dir.layout.manifest))
        for (path, component) in zip(paths, ControlPlaneComponent.allCases) {
            let mode = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int
            #expect(mode == 0o600)
            let manifest = try StaticPodManifest(contentsOf: path)
            #expect(manifest.name == component.rawValue)
            #expect(manifest.command.first == component.rawValue)
        }
    }
}
