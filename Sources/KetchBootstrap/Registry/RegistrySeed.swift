import Foundation
import KubeCore
import Logging

/// What a fresh kubeadm cluster's etcd holds under /registry, built from the seed templates in
/// `manifests/registry/` for one control plane: namespaces, the `kubernetes` Service and its
/// endpoints, service accounts, ConfigMaps, bootstrap and kubeadm RBAC, priority classes, the
/// default StorageClass (kind's `standard`), the Node with its Lease, service IP ranges and
/// APIServices. Stored as JSON, not protobuf, so a
/// JSON-speaking apiserver reads it.
public struct RegistrySeed: Sendable {
    /// Addresses, CIDRs, version and paths the objects carry.
    public let controlPlane: ResolvedControlPlane
    /// The CA certificates some ConfigMaps publish.
    public let certificates: SeedCertificates
    /// What the Node object reports about the machine.
    public let node: NodeFacts
    /// creationTimestamp of every object and the Node's heartbeat.
    public let now: Date
    /// Where the seed templates come from.
    public let templates: TemplateLibrary

    public init(controlPlane: ResolvedControlPlane, certificates: SeedCertificates, node: NodeFacts,
                now: Date = Date(), templates: TemplateLibrary = .bundled) {
        self.controlPlane = controlPlane
        self.certificates = certificates
        self.node = node
        self.now = now
        self.templates = templates
    }

    /// Every seed object with its key, namespaces first (kube-apiserver creates them before
    /// anything in them), then in template order. Each call makes new uids.
    public func objects() throws -> [RegistryObject] {
        let values = try placeholders()
        let timestamp = KubeTime.rfc3339(now)
        var objects: [RegistryObject] = []
        for file in try templates.jsonFiles(under: "registry") {
            let list = try parse(file)
            for item in list {
                var object = try JSONTemplate.render(item, name: file, values: values)
                var metadata = object["metadata"]?.object ?? [:]
                if metadata["uid"] == nil { metadata["uid"] = .string(Self.newUID()) }
                metadata["creationTimestamp"] = .string(timestamp)
                object["metadata"] = .object(metadata)
                objects.append(try RegistryObject(object: object, source: file))
            }
        }
        var seen = Set<String>()
        for o in objects where !seen.insert(o.key).inserted {
            throw BootstrapError.templateInvalid(path: "registry", reason: "two seed objects for \(o.key)")
        }
        let aggregated = try ClusterRoleAggregation.apply(to: objects)
        let isNamespace = { (o: RegistryObject) in o.object["kind"]?.string == "Namespace" }
        return aggregated.filter(isNamespace) + aggregated.filter { !isNamespace($0) }
    }

    /// Every seed object as the key and bytes to store, with `/registry` replaced by
    /// `keyPrefix` (kube-apiserver's `--etcd-prefix`; a trailing `/` is ignored). Each call
    /// makes new uids.
    public func entries(keyPrefix: String = Self.defaultKeyPrefix) throws -> [RegistrySeedEntry] {
        let root = keyPrefix.hasSuffix("/") ? String(keyPrefix.dropLast()) : keyPrefix
        return try objects().map { object in
            let key = object.key.hasPrefix(Self.defaultKeyPrefix + "/")
                ? root + object.key.dropFirst(Self.defaultKeyPrefix.count) : object.key
            return RegistrySeedEntry(key: key, value: try object.value())
        }
    }

    /// Writes every seed object that is not in `sink` yet; returns how many it wrote. Existing keys
    /// are left as they are, so a second run writes nothing. The one seeding path of `ketch init`
    /// and the apiserver's bootstrap-if-empty.
    public func preload(
        into sink: some RegistrySeedSink, keyPrefix: String = Self.defaultKeyPrefix,
        logger: Logger = Logger(label: "ketch.bootstrap")
    ) async throws -> Int {
        let entries = try entries(keyPrefix: keyPrefix)
        let written = try await sink.createAbsent(entries)
        logger.debug("registry preload", metadata: ["written": "\(written)", "seed": "\(entries.count)"])
        return written
    }

    /// Where kubeadm's kube-apiserver keeps objects (its default `--etcd-prefix`).
    public static let defaultKeyPrefix = "/registry"

    /// The seed's own placeholders on top of the control plane's.
    private func placeholders() throws -> TemplateValues {
        var values = controlPlane.placeholders.merging(node.placeholders) { a, _ in a }
        let base = values
        func renderYAML(_ name: String) throws -> TemplateValue {
            .string(try YAMLTemplate.serialize(try YAMLTemplate.render(try templates.text(name), name: name, values: base)))
        }
        let nodePods = controlPlane.nodePodNetwork?.description
        values["CA_CERTIFICATE"] = .string(certificates.caPEM)
        values["FRONT_PROXY_CA_CERTIFICATE"] = .string(certificates.frontProxyCAPEM)
        values["KUBEADM_CLUSTER_CONFIGURATION"] = try renderYAML("kubeadm/cluster-configuration.yaml")
        values["KUBELET_CONFIGURATION"] = try renderYAML("kubeadm/kubelet-configuration.yaml")
        values["CLUSTER_INFO_KUBECONFIG"] = .string(
            try Kubeconfig.clusterInfo(server: controlPlane.configuration.apiServerURL, caPEM: certificates.caPEM).yaml())
        values["NOW"] = .string(KubeTime.rfc3339(now))
        values["NOW_MICRO"] = .string(KubeTime.micro(now))
        values["TODAY"] = .string(KubeTime.day(now))
        values["NODE_UID"] = .string(Self.newUID())
        values["NODE_POD_CIDR"] = .optional(nodePods)
        values["NODE_POD_CIDRS"] = nodePods.map { .strings([$0]) } ?? .absent
        // kube-apiserver's bitmap allocator starts at the network address + 1, so the `kubernetes`
        // Service's IP is bit 0: the big-endian bytes of 1.
        values["SERVICE_IP_ALLOCATION"] = .string(Data([1]).base64EncodedString())
        return values
    }

    private func parse(_ file: String) throws -> [JSONValue] {
        let document: JSONValue
        do {
            document = try JSONValue(parsing: try templates.data(file))
        } catch let error as BootstrapError {
            throw error
        } catch {
            throw BootstrapError.templateInvalid(path: file, reason: "not JSON: \(error)")
        }
        if document["kind"]?.string == "List" {
            guard let items = document["items"]?.array else {
                throw BootstrapError.templateInvalid(path: file, reason: "a List without items")
            }
            return items
        }
        return [document]
    }

    static func newUID() -> String { UUID().uuidString.lowercased() }
}
