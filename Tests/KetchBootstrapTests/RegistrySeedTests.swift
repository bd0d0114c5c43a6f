import KubeCore
import Foundation
import Testing
@testable import KetchBootstrap

@Suite struct RegistrySeedTests {
    private static let certificates = SeedCertificates(
        caPEM: "-----BEGIN CERTIFICATE-----\nQ0E=\n-----END CERTIFICATE-----\n",
        frontProxyCAPEM: "-----BEGIN CERTIFICATE-----\nRlA=\n-----END CERTIFICATE-----\n")

    private func seed(_ c: ControlPlaneConfiguration) throws -> RegistrySeed {
        RegistrySeed(controlPlane: try c.resolved(), certificates: Self.certificates, node: .sample,
                     now: Date(timeIntervalSince1970: 1_750_000_000))
    }

    private func byKey(_ objects: [RegistryObject]) -> [String: JSONValue] {
        Dictionary(uniqueKeysWithValues: objects.map { ($0.key, $0.object) })
    }

    @Test func preloadWritesEveryKeyOnceAndAgainNothing() async throws {
        let dir = try TestDirectory()
        let sink = MemorySeedSink()
        let s = try seed(testConfiguration(dir))
        let expected = try s.objects().map(\.key)

        let written = try await s.preload(into: sink)
        #expect(written == expected.count)
        let revision = sink.revision

        #expect(sink.values.keys.sorted() == expected.sorted())
        for (key, value) in sink.values {
            let object = try JSONValue(parsing: value)
            let kind = try #require(object["kind"]?.string, "\(key)")
            let apiVersion = try #require(object["apiVersion"]?.string, "\(key)")
            let name = try #require(object["metadata"]?["name"]?.string, "\(key)")
            let namespace = object["metadata"]?["namespace"]?.string
            #expect(key.hasSuffix("/" + name), "\(key)")
            if let namespace { #expect(key.hasSuffix("/\(namespace)/\(name)"), "\(key)") }
            let group = apiVersion.contains("/") ? String(apiVersion.split(separator: "/")[0]) : ""
            let resource = try #require(RegistryResource.forKind(kind, group: group))
            #expect(key == resource.key(name: name, namespace: namespace))
            #expect(object["metadata"]?["uid"]?.string.flatMap(UUID.init(uuidString:)) != nil, "\(key)")
            #expect(object["metadata"]?["creationTimestamp"]?.string == "2025-06-15T15:06:40Z", "\(key)")
            #expect(object["metadata"]?["resourceVersion"] == nil)
            #expect(!String(decoding: value, as: UTF8.self).contains("${"), "\(key)")
        }

        #expect(try await s.preload(into: sink) == 0)
        #expect(sink.revision == revision)
        // A fresh seed (new uids) changes nothing either: keys that exist are never overwritten.
        #expect(try await seed(testConfiguration(dir)).preload(into: sink) == 0)
    }

    @Test func entriesTakeTheAPIServersKeyPrefix() throws {
        let dir = try TestDirectory()
        let s = try seed(testConfiguration(dir))
        let keys = try s.objects().map(\.key)
        for prefix in ["/custom", "/custom/"] {
            let entries = try s.entries(keyPrefix: prefix)
            #expect(entries.map(\.key) == keys.map { "/custom" + $0.dropFirst("/registry".count) }, "\(prefix)")
            #expect(entries.contains { $0.key == "/custom/namespaces/default" })
        }
        #expect(try s.entries().map(\.key) == keys)
    }

    @Test func holdsKubeadmClusterKeys() throws {
        let dir = try TestDirectory()
        let keys = Set(try seed(testConfiguration(dir)).objects().map(\.key))
        let expected = [
            "/registry/namespaces/default", "/registry/namespaces/kube-system", "/registry/namespaces/kube-public",
            "/registry/namespaces/kube-node-lease",
            "/registry/services/specs/default/kubernetes", "/registry/services/endpoints/default/kubernetes",
            "/registry/endpointslices/default/kubernetes",
            "/registry/serviceaccounts/default/default", "/registry/serviceaccounts/kube-system/default",
            "/registry/serviceaccounts/kube-public/default", "/registry/serviceaccounts/kube-node-lease/default",
            "/registry/configmaps/default/kube-root-ca.crt", "/registry/configmaps/kube-system/kube-root-ca.crt",
            "/registry/configmaps/kube-public/kube-root-ca.crt", "/registry/configmaps/kube-node-lease/kube-root-ca.crt",
            "/registry/configmaps/kube-system/kubeadm-config", "/registry/configmaps/kube-system/kubelet-config",
            "/registry/configmaps/kube-system/extension-apiserver-authentication",
            "/registry/configmaps/kube-public/cluster-info",
            "/registry/clusterroles/cluster-admin", "/registry/clusterroles/admin", "/registry/clusterroles/edit",
            "/registry/clusterroles/view", "/registry/clusterroles/system:basic-user",
            "/registry/clusterroles/system:discovery", "/registry/clusterroles/system:public-info-viewer",
            "/registry/clusterroles/system:node", "/registry/clusterroles/system:kube-controller-manager",
            "/registry/clusterroles/system:kube-scheduler", "/registry/clusterroles/system:controller:node-controller",
            "/registry/clusterrolebindings/cluster-admin", "/registry/clusterrolebindings/kubeadm:cluster-admins",
            "/registry/clusterrolebindings/system:controller:node-controller",
            "/registry/roles/kube-system/extension-apiserver-authentication-reader",
            "/registry/rolebindings/kube-system/system::extension-apiserver-authentication-reader",
            "/registry/roles/kube-public/kubeadm:bootstrap-signer-clusterinfo",
            "/registry/priorityclasses/system-cluster-critical", "/registry/priorityclasses/system-node-critical",
            "/registry/minions/ketch-node", "/registry/leases/kube-node-lease/ketch-node",
            "/registry/ranges/serviceips", "/registry/ranges/servicenodeports",
            "/registry/apiregistration.k8s.io/apiservices/v1.", "/registry/apiregistration.k8s.io/apiservices/v1.apps",
            "/registry/apiregistration.k8s.io/apiservices/v1.rbac.authorization.k8s.io",
            "/registry/apiregistration.k8s.io/apiservices/v2.autoscaling",
        ]
        for key in expected { #expect(keys.contains(key), "\(key)") }
    }

    @Test func objectsCarryTheControlPlane() throws {
        let dir = try TestDirectory()
        var c = testConfiguration(dir, apiServerPort: 16443)
        c.advertiseAddress = "192.168.0.10"
        c.podCIDR = "10.244.0.0/16"
        let objects = byKey(try seed(c).objects())

        let service = try #require(objects["/registry/services/specs/default/kubernetes"])
        #expect(service["spec"]?["clusterIP"]?.string == "10.96.0.1")
        #expect(service["spec"]?["ports"]?.array?.first?["targetPort"] == .integer(16443))
        #expect(service["spec"]?["ports"]?.array?.first?["port"] == .integer(443))
        let endpoints = try #require(objects["/registry/services/endpoints/default/kubernetes"])
        #expect(endpoints["subsets"]?.array?.first?["addresses"]?.array?.first?["ip"]?.string == "192.168.0.10")
        let slice = try #require(objects["/registry/endpointslices/default/kubernetes"])
        #expect(slice["addressType"]?.string == "IPv4")
        #expect(slice["endpoints"]?.array?.first?["conditions"]?["ready"] == .bool(true))

        let node = try #require(objects["/registry/minions/ketch-node"])
        let ready = node["status"]?["conditions"]?.array?.first { $0["type"]?.string == "Ready" }
        #expect(ready?["status"]?.string == "True")
        #expect(node["spec"]?["podCIDR"]?.string == "10.244.0.0/24")
        #expect(node["spec"]?["podCIDRs"] == .array([.string("10.244.0.0/24")]))
        #expect(node["status"]?["nodeInfo"]?["kubeletVersion"]?.string == "v1.33.4")
        #expect(node["status"]?["capacity"]?["memory"]?.string == "25165824Ki")
        let lease = try #require(objects["/registry/leases/kube-node-lease/ketch-node"])
        #expect(lease["metadata"]?["ownerReferences"]?.array?.first?["uid"] == node["metadata"]?["uid"])
        #expect(lease["spec"]?["renewTime"]?.string == "2025-06-15T15:06:40.000000Z")

        let ranges = try #require(objects["/registry/ranges/serviceips"])
        #expect(ranges["range"]?.string == "10.96.0.0/12")
        #expect(ranges["data"]?.string == "AQ==")

        let rootCA = try #require(objects["/registry/configmaps/kube-public/kube-root-ca.crt"])
        #expect(rootCA["data"]?["ca.crt"]?.string == Self.certificates.caPEM)
        let auth = try #require(objects["/registry/configmaps/kube-system/extension-apiserver-authentication"])
        #expect(auth["data"]?["requestheader-client-ca-file"]?.string == Self.certificates.frontProxyCAPEM)

        let kubeadmConfig = try #require(objects["/registry/configmaps/kube-system/kubeadm-config"]?["data"]?["ClusterConfiguration"]?.string)
        #expect(kubeadmConfig.contains("kind: ClusterConfiguration\n"))
        #expect(kubeadmConfig.contains("  podSubnet: 10.244.0.0/16\n  serviceSubnet: 10.96.0.0/12\n"))
        #expect(kubeadmConfig.contains("certificatesDir: \(dir.path)/kubernetes/pki\n"))
        let kubelet = try #require(objects["/registry/configmaps/kube-system/kubelet-config"]?["data"]?["kubelet"]?.string)
        #expect(kubelet.contains("clusterDNS:\n- 10.96.0.10\n"))
        #expect(kubelet.contains("      infoBufferSize: '0'\n") || kubelet.contains("      infoBufferSize: \"0\"\n"))

        let clusterInfo = try #require(objects["/registry/configmaps/kube-public/cluster-info"]?["data"]?["kubeconfig"]?.string)
        let info = try Kubeconfig(yaml: clusterInfo)
        #expect(info.clusters?.first?.cluster.server == "https://192.168.0.10:16443")
        #expect(info.users == nil)
    }

    @Test func withoutPodCIDRTheNodeHasNone() throws {
        let dir = try TestDirectory()
        let objects = byKey(try seed(testConfiguration(dir)).objects())
        let node = try #require(objects["/registry/minions/ketch-node"])
        #expect(node["spec"]?["podCIDR"] == nil)
        #expect(node["spec"]?["podCIDRs"] == nil)
        let config = objects["/registry/configmaps/kube-system/kubeadm-config"]?["data"]?["ClusterConfiguration"]?.string ?? ""
        #expect(!config.contains("podSubnet"))
    }

    @Test func rbacGrantsWhatKubeadmUsersNeed() throws {
        let dir = try TestDirectory()
        let objects = byKey(try seed(testConfiguration(dir)).objects())
        let clusterAdmin = try #require(objects["/registry/clusterroles/cluster-admin"])
        #expect(clusterAdmin["rules"]?.array?.contains(.object([
            "apiGroups": .array([.string("*")]), "resources": .array([.string("*")]), "verbs": .array([.string("*")])])) == true)
        let admins = try #require(objects["/registry/clusterrolebindings/kubeadm:cluster-admins"])
        #expect(admins["roleRef"]?["name"]?.string == "cluster-admin")
        #expect(admins["subjects"]?.array?.first?["name"]?.string == "kubeadm:cluster-admins")
        #expect(admins["subjects"]?.array?.first?["kind"]?.string == "Group")
        let masters = try #require(objects["/registry/clusterrolebindings/cluster-admin"])
        #expect(masters["subjects"]?.array?.first?["name"]?.string == "system:masters")

        // admin, edit and view are stored aggregated, as after kube-controller-manager's first pass.
        let view = objects["/registry/clusterroles/view"]?["rules"]?.array ?? []
        let edit = objects["/registry/clusterroles/edit"]?["rules"]?.array ?? []
        let admin = objects["/registry/clusterroles/admin"]?["rules"]?.array ?? []
        // view = system:aggregate-to-view + system:aggregated-metrics-reader (metrics-server's role).
        let metricsReader = objects["/registry/clusterroles/system:aggregated-metrics-reader"]?["rules"]?.array ?? []
        #expect(metricsReader.count == 1)
        #expect(view == (objects["/registry/clusterroles/system:aggregate-to-view"]?["rules"]?.array ?? []) + metricsReader)
        #expect(!view.isEmpty && view.allSatisfy(edit.contains) && edit.allSatisfy(admin.contains))
        #expect(edit.count > view.count && admin.count > edit.count)
        #expect(objects["/registry/clusterroles/view"]?["aggregationRule"] != nil)
    }

    @Test func everySeedFileParsesAndMapsToKeys() throws {
        let library = TemplateLibrary.bundled
        let files = try library.jsonFiles(under: "registry")
        #expect(files.contains("registry/rbac/cluster-roles.json"))
        #expect(files.count >= 15)
    }
}
