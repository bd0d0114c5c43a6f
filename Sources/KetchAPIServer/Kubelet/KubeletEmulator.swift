import Foundation
import KetchBootstrap
import KubeCore
import Logging

/// Stands in for the kubelet of the single control-plane node: registers the Node, keeps its
/// Lease and Ready heartbeat fresh, and mirrors the static pod manifests as Pods, so the API
/// shows what a kubeadm node shows although no kubelet or container runtime runs.
///
/// Everything goes through the apiserver's `RegistryObjectStore`; failures (etcd restarting, conflicts with other
/// writers) are logged and retried on the next tick rather than ending the loop.
public actor KubeletEmulator {
    /// What one reconcile pass changed, by pod name.
    public struct ReconcileResult: Sendable, Equatable {
        /// Mirror pods created.
        public var created: [String] = []
        /// Mirror pods rewritten because their manifest changed (or their stored copy drifted).
        public var updated: [String] = []
        /// Mirror pods deleted because their manifest is gone.
        public var deleted: [String] = []
        /// Mirror pods deleted through the API (so Terminating) that were removed and made anew
        /// from their manifest, with a new uid, as the kubelet does.
        public var recreated: [String] = []
    }

    /// The store objects are written through.
    public let store: RegistryObjectStore
    /// The node's name (`system:node:<name>` in kubelet.conf).
    public let nodeName: String
    /// The static pod directory (kubeadm's /etc/kubernetes/manifests).
    public let manifestDirectory: URL
    /// The node's InternalIP: the host and pod IP of the host-network static pods.
    public let nodeAddress: String
    /// Where `ketch up` writes component logs (`<component>.log`); nil when unknown.
    public let logDirectory: URL?
    let logger: Logger

    /// How often manifests are compared with the mirror pods.
    public var reconcileInterval: Duration = .seconds(1)
    /// How often the node Lease is renewed (kubelet: 10 s, a quarter of its 40 s duration).
    public var leaseInterval: TimeInterval = 10
    /// How often the Node's conditions get a fresh heartbeat.
    public var heartbeatInterval: TimeInterval = 60

    private var facts: NodeObject.Facts?
    private var nodeUID: String?
    /// Parsed manifests by path, reused while the file's bytes are unchanged.
    private var manifestCache: [String: (data: Data, file: StaticPodFile)] = [:]
    /// Unparseable manifests already reported (logged once per content, not every second).
    private var reportedBroken: [String: Data] = [:]
    /// Namespaces that held mirror pods, so a pod is found for deletion after its manifest (the
    /// only record of its namespace) is gone.
    private var mirrorNamespaces: Set<String> = ["kube-system"]

    /// Creates the emulator; nothing happens until `run()` or `reconcileOnce()`.
    public init(store: RegistryObjectStore, nodeName: String, manifestDirectory: URL, nodeAddress: String,
                logDirectory: URL?, logger: Logger) {
        self.store = store
        self.nodeName = nodeName
        self.manifestDirectory = manifestDirectory
        self.nodeAddress = nodeAddress
        self.logDirectory = logDirectory
        self.logger = logger
    }

    /// Overrides the probed machine facts (tests use fixed ones).
    public func setFacts(_ facts: NodeObject.Facts) { self.facts = facts }

    /// Runs until the task is cancelled: registers the Node, then reconciles mirror pods every
    /// `reconcileInterval`, renews the Lease every `leaseInterval` and posts the Node heartbeat
    /// every `heartbeatInterval`.
    public func run() async throws {
        logger.info("kubelet emulation started", metadata: [
            "node": .string(nodeName), "manifests": .string(manifestDirectory.path)])
        var lastLease = Date.distantPast
        var lastHeartbeat = Date()
        while !Task.isCancelled {
            do {
                if nodeUID == nil { try await registerNode() ; lastHeartbeat = Date() }
                let result = try await reconcileOnce()
                for name in result.created { logger.info("created mirror pod", metadata: ["pod": .string(name)]) }
                for name in result.updated { logger.info("updated mirror pod", metadata: ["pod": .string(name)]) }
                for name in result.deleted { logger.info("deleted mirror pod", metadata: ["pod": .string(name)]) }
                for name in result.recreated { logger.info("recreated deleted mirror pod", metadata: ["pod": .string(name)]) }
                if Date().timeIntervalSince(lastLease) >= leaseInterval {
                    try await renewLease()
                    lastLease = Date()
                }
                if Date().timeIntervalSince(lastHeartbeat) >= heartbeatInterval {
                    try await postHeartbeat()
                    lastHeartbeat = Date()
                }
            } catch is CancellationError {
                break
            } catch {
                // etcd restarting or unreachable: try again next tick.
                logger.warning("kubelet emulation pass failed; retrying", metadata: ["error": .string("\(error)")])
            }
            try await Task.sleep(for: reconcileInterval)
        }
    }

    // MARK: - Node

    /// Creates the Node, or refreshes the status of the one stored (keeping its uid); returns the uid.
    @discardableResult
    public func registerNode() async throws -> String {
        let facts = currentFacts()
        for _ in 0..<5 {
            if let existing = try await store.get(BuiltinResources.nodes, namespace: nil, name: nodeName) {
                let node = NodeObject.build(nodeName: nodeName, address: nodeAddress, facts: facts, existing: existing)
                do {
                    let stored = try await store.update(BuiltinResources.nodes, node)
                    nodeUID = NodeObject.uid(stored) ?? NodeObject.uid(node)
                    return nodeUID ?? ""
                } catch let status as KubeStatus where status.code == 409 || status.code == 404 {
                    continue // changed or vanished underneath: re-read
                }
            }
            let node = NodeObject.build(nodeName: nodeName, address: nodeAddress, facts: facts)
            do {
                let stored = try await store.create(BuiltinResources.nodes, node)
                nodeUID = NodeObject.uid(stored) ?? NodeObject.uid(node)
                logger.info("registered node", metadata: ["node": .string(nodeName)])
                return nodeUID ?? ""
            } catch let status as KubeStatus where status.code == 409 {
                continue // someone created it meanwhile
            }
        }
        throw KubeStatus.conflict(BuiltinResources.nodes, name: nodeName)
    }

    /// Refreshes `lastHeartbeatTime` on the Node's conditions (re-registering a deleted Node).
    public func postHeartbeat() async throws {
        for _ in 0..<5 {
            guard let node = try await store.get(BuiltinResources.nodes, namespace: nil, name: nodeName) else {
                try await registerNode()
                return
            }
            do {
                _ = try await store.update(BuiltinResources.nodes, NodeObject.heartbeat(node))
                nodeUID = NodeObject.uid(node)
                return
            } catch let status as KubeStatus where status.code == 409 || status.code == 404 {
                continue
            }
        }
    }

    /// Renews (or creates) the Lease `kube-node-lease/<node>`.
    public func renewLease() async throws {
        let leases = BuiltinResources.leases
        for _ in 0..<5 {
            let existing = try await store.get(leases, namespace: NodeLease.namespace, name: nodeName)
            let lease = NodeLease.build(nodeName: nodeName, nodeUID: nodeUID, existing: existing)
            do {
                if existing == nil {
                    _ = try await store.create(leases, lease)
                } else {
                    _ = try await store.update(leases, lease)
                }
                return
            } catch let status as KubeStatus where status.code == 409 || status.code == 404 {
                continue
            }
        }
    }

    // MARK: - Mirror pods

    /// One comparison of the manifest directory with the stored mirror pods: creates missing
    /// pods, rewrites those whose manifest changed (keeping their uid), replaces those deleted
    /// through the API and deletes this node's mirror pods whose manifest is gone. Registers the
    /// Node first if that has not happened.
    @discardableResult
    public func reconcileOnce() async throws -> ReconcileResult {
        if nodeUID == nil { try await registerNode() }
        let manifests = loadManifests()
        let pods = BuiltinResources.pods
        var result = ReconcileResult()

        mirrorNamespaces.formUnion(manifests.map(\.namespace))
        var stored: [String: JSONValue] = [:] // "<namespace>/<name>"
        for namespace in mirrorNamespaces.sorted() {
            for pod in try await store.list(pods, namespace: namespace).items {
                guard let name = pod["metadata"]?["name"]?.string else { continue }
                stored["\(namespace)/\(name)"] = pod
            }
        }

        var wanted: Set<String> = []
        for manifest in manifests {
            let name = MirrorPod.name(manifestName: manifest.name, nodeName: nodeName)
            let key = "\(manifest.namespace)/\(name)"
            guard !wanted.contains(key) else {
                logger.warning("two manifests define the same pod; ignoring one",
                               metadata: ["pod": .string(key), "file": .string(manifest.path.lastPathComponent)])
                continue
            }
            wanted.insert(key)
            if let existing = stored[key], isCurrent(existing, manifest) { continue }
            switch try await upsert(manifest, existing: stored[key]) {
            case .created: result.created.append(name)
            case .updated: result.updated.append(name)
            case .recreated: result.recreated.append(name)
            }
        }

        for (key, pod) in stored.sorted(by: { $0.key < $1.key }) where !wanted.contains(key) {
            guard MirrorPod.isMirrorPod(pod), pod["spec"]?["nodeName"]?.string == nodeName,
                  let name = pod["metadata"]?["name"]?.string else { continue }
            let namespace = pod["metadata"]?["namespace"]?.string ?? String(key.prefix { $0 != "/" })
            _ = try await store.delete(pods, namespace: namespace, name: name)
            result.deleted.append(name)
        }
        return result
    }

    /// Whether the stored pod already is this manifest's mirror pod on this node, running. One
    /// being deleted is not: the kubelet replaces it.
    private func isCurrent(_ pod: JSONValue, _ manifest: StaticPodFile) -> Bool {
        MirrorPod.configHash(of: pod) == manifest.hash
            && pod["spec"]?["nodeName"]?.string == nodeName
            && pod["status"]?["phase"]?.string == "Running"
            && !DeletionRules.isDeleting(pod)
    }

    /// How ``upsert(_:existing:)`` wrote the mirror pod.
    private enum UpsertOutcome {
        case created, updated, recreated
    }

    /// Writes the mirror pod. A stored one being deleted (a graceful delete through the API) is
    /// removed at once and made anew, as the kubelet's `DeleteMirrorPod` then `CreateMirrorPod`.
    private func upsert(_ manifest: StaticPodFile, existing: JSONValue?) async throws -> UpsertOutcome {
        let pods = BuiltinResources.pods
        let name = MirrorPod.name(manifestName: manifest.name, nodeName: nodeName)
        var current = existing
        var replaced = false
        for _ in 0..<5 {
            if let deleting = current, DeletionRules.isDeleting(deleting) {
                try await removeMirrorPod(deleting)
                replaced = true
                current = try await store.get(pods, namespace: manifest.namespace, name: name)
                continue
            }
            let pod = MirrorPod.build(from: manifest, nodeName: nodeName, nodeUID: nodeUID ?? "",
                                      nodeAddress: nodeAddress, existing: current)
            do {
                if current == nil {
                    _ = try await store.create(pods, pod)
                    return replaced ? .recreated : .created
                }
                _ = try await store.update(pods, pod)
                return .updated
            } catch let status as KubeStatus where status.code == 409 || status.code == 404 {
                // Someone wrote it meanwhile (or deleted it): start again from what is stored.
                current = try await store.get(pods, namespace: manifest.namespace, name: name)
            }
        }
        throw KubeStatus.conflict(pods, name: name)
    }

    /// The kubelet's `DeleteMirrorPod`: a delete with grace period 0 and the pod's uid as
    /// precondition, so a pod made anew meanwhile is left alone. Gone already is fine.
    private func removeMirrorPod(_ pod: JSONValue) async throws {
        let pods = BuiltinResources.pods
        let (namespace, name) = RegistryObjectStore.identity(pod)
        let uid = pod["metadata"]?["uid"]?.string
        var current: JSONValue? = pod
        for _ in 0..<5 {
            guard let stored = current, stored["metadata"]?["uid"]?.string == uid,
                  let version = Int64(stored["metadata"]?["resourceVersion"]?.string ?? "") else { return }
            do {
                _ = try await store.delete(pods, namespace: namespace, name: name, expected: version)
                return
            } catch let status as KubeStatus where status.code == 404 {
                return
            } catch let status as KubeStatus where status.code == 409 {
                current = try await store.get(pods, namespace: namespace, name: name)
            }
        }
    }

    /// The directory's manifests. The files are small, so they are read every pass and compared
    /// byte for byte (mtimes can miss an edit within the same clock tick); only changed ones are
    /// parsed again.
    func loadManifests() -> [StaticPodFile] {
        var files: [StaticPodFile] = []
        var seen: Set<String> = []
        for url in StaticPodFile.manifestPaths(in: manifestDirectory) {
            let path = url.path
            guard let data = FileManager.default.contents(atPath: path) else { continue }
            seen.insert(path)
            if let cached = manifestCache[path], cached.data == data {
                files.append(cached.file)
                continue
            }
            do {
                let file = try StaticPodFile(path: url, data: data)
                manifestCache[path] = (data, file)
                reportedBroken[path] = nil
                files.append(file)
            } catch {
                manifestCache[path] = nil
                if reportedBroken[path] != data {
                    reportedBroken[path] = data
                    logger.warning("skipping unreadable static pod manifest",
                                   metadata: ["file": .string(path), "error": .string("\(error)")])
                }
            }
        }
        manifestCache = manifestCache.filter { seen.contains($0.key) }
        reportedBroken = reportedBroken.filter { seen.contains($0.key) }
        return files
    }

    /// The machine facts, probed once; the kubelet version is the control-plane images' tag.
    private func currentFacts() -> NodeObject.Facts {
        if let facts { return facts }
        let version = loadManifests().compactMap(\.imageTag).first { $0.hasPrefix("v") }
            ?? KubernetesRelease.default.description
        let probed = NodeObject.Facts.probe(storagePath: manifestDirectory.path, kubeletVersion: version)
        facts = probed
        return probed
    }
}

