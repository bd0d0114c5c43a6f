import Foundation
import Testing
import KetchPKI
@testable import KetchBootstrap

@Suite struct ControlPlaneConfigurationTests {
    @Test func addressesAndNetworks() throws {
        #expect(IPAddress("10.96.0.1")?.family == .ipv4)
        #expect(IPAddress("fd00::1")?.urlHost == "[fd00::1]")
        #expect(IPAddress("10.96.0.1/12") == nil)
        #expect(IPAddress("localhost") == nil)
        let services = try #require(IPNetwork("10.96.0.7/12"))
        #expect(services.description == "10.96.0.0/12")
        #expect(services.address(at: 1)?.description == "10.96.0.1")
        #expect(services.address(at: 10)?.description == "10.96.0.10")
        #expect(services.address(at: 300)?.description == "10.96.1.44")
        #expect(IPNetwork("10.0.0.0/30")?.address(at: 4) == nil)
        #expect(IPNetwork("fd00:96::/108")?.address(at: 10)?.description == "fd00:96::a")
        #expect(IPNetwork("10.244.0.0/16")?.firstSubnet(prefixLength: 24).description == "10.244.0.0/24")
        #expect(IPNetwork("10.244.0.0/26")?.firstSubnet(prefixLength: 24).description == "10.244.0.0/26")
        for bad in ["10.96.0.0", "10.96.0.0/33", "10.96.0.0/", "/12", "x/12", "10.96.0.0/1a"] {
            #expect(IPNetwork(bad) == nil, "\(bad)")
        }
    }

    @Test func releases() {
        #expect(KubernetesRelease.default.description == "v1.33.4")
        #expect(KubernetesRelease("1.33.0")?.description == "v1.33.0")
        #expect(KubernetesRelease("v1.33")?.description == nil)
        #expect(KubernetesRelease("v2.0.0") == nil)
        #expect(KubernetesRelease("v1.33.4")?.etcdImageTag == "3.5.21-0")
        #expect(KubernetesRelease("v1.40.0")?.etcdImageTag == "3.6.4-0")
    }

    @Test func defaultsResolve() throws {
        let dir = try TestDirectory()
        let r = try testConfiguration(dir).resolved()
        #expect(r.kubernetesServiceIP == "10.96.0.1")
        #expect(r.clusterDNSIP == "10.96.0.10")
        #expect(r.configuration.apiServerURL == "https://127.0.0.1:6443")
        #expect(r.nodePodNetwork == nil)
    }

    @Test func badInputGetsAClearMessage() throws {
        let dir = try TestDirectory()
        let cases: [(String, (inout ControlPlaneConfiguration) -> Void)] = [
            ("node name", { $0.nodeName = "Bad_Name" }),
            ("not an IP address", { $0.advertiseAddress = "example.com" }),
            ("unspecified", { $0.advertiseAddress = "0.0.0.0" }),
            ("not a CIDR", { $0.serviceCIDR = "10.96.0.0" }),
            ("too large", { $0.serviceCIDR = "10.0.0.0/8" }),
            ("too small", { $0.serviceCIDR = "10.96.0.0/30" }),
            ("dual-stack", { $0.serviceCIDR = "10.96.0.0/12,fd00::/108" }),
            ("pod network CIDR", { $0.podCIDR = "10.244.0.0/99" }),
            ("different IP families", { $0.podCIDR = "fd00:244::/56" }),
            ("both 2379", { $0.etcdPeerPort = 2379 }),
            ("between 1 and 65535", { $0.apiServerPort = 70000 }),
            ("Kubernetes version", { $0.kubernetesVersion = "latest" }),
        ]
        for (fragment, mutate) in cases {
            var c = testConfiguration(dir)
            mutate(&c)
            do {
                try c.validate()
                Issue.record("accepted: \(fragment)")
            } catch let error as BootstrapError {
                #expect(error.description.contains(fragment), "\(error)")
            }
        }
    }

    @Test func layoutNamesKubeadmPaths() {
        let layout = StateLayout(root: "/tmp/ketch-state/")
        #expect(layout.root == "/tmp/ketch-state")
        #expect(layout.kubeconfig(.admin) == "/tmp/ketch-state/kubernetes/admin.conf")
        #expect(layout.manifest(.kubeAPIServer) == "/tmp/ketch-state/kubernetes/manifests/kube-apiserver.yaml")
        #expect(layout.etcdDataDirectory == "/tmp/ketch-state/etcd")
        #expect(layout.pki.etcdServer.key == "/tmp/ketch-state/kubernetes/pki/etcd/server.key")
        #expect(layout.pki.allFiles.count == 22)
        #expect(layout.generatedFiles.count == 31)
        #expect(StateLayout(root: "/s", certificatesDirectory: "/certs").pki.ca.certificate == "/certs/ca.crt")
    }
}
