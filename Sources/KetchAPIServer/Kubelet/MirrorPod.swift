import Crypto
import Foundation
import KubeCore

/// The mirror Pod a kubelet posts to the API for a static pod: the manifest with the API's
/// defaults filled in, bound to the node, owned by the Node object and reported as running.
///
/// There are no containers behind it; the status describes the control-plane process `ketch up`
/// runs for the manifest, so `kubectl get pods -n kube-system` reads like a kubeadm cluster.
public enum MirrorPod {
    /// The manifest's hash; the kubelet compares it with the file to spot changes.
    public static let hashAnnotation = "kubernetes.io/config.hash"
    /// Marks a pod as a mirror pod (same value as the hash). Its presence is what the kubelet,
    /// and this emulator, use to tell mirror pods from ordinary ones.
    public static let mirrorAnnotation = "kubernetes.io/config.mirror"
    /// When the kubelet first saw this version of the manifest.
    public static let seenAnnotation = "kubernetes.io/config.seen"
    /// Where the pod came from: `file` for the manifest directory.
    public static let sourceAnnotation = "kubernetes.io/config.source"

    /// PriorityClass values the apiserver seeds; the admission plugin resolves names to these.
    static let builtinPriorities: [String: Int] = [
        "system-node-critical": 2_000_001_000,
        "system-cluster-critical": 2_000_000_000,
    ]

    /// `<manifest name>-<node name>`, the kubelet's naming for static pods.
    public static func name(manifestName: String, nodeName: String) -> String {
        "\(manifestName)-\(nodeName)"
    }

    /// Whether `pod` is a mirror pod (carries `kubernetes.io/config.mirror`).
    public static func isMirrorPod(_ pod: JSONValue) -> Bool {
        pod["metadata"]?["annotations"]?[mirrorAnnotation] != nil
    }

    /// The manifest hash a mirror pod was made from.
    public static func configHash(of pod: JSONValue) -> String? {
        pod["metadata"]?["annotations"]?[mirrorAnnotation]?.string
    }

    /// Builds the mirror pod for `manifest` on `nodeName`.
    ///
    /// - Parameters:
    ///   - nodeUID: the Node's uid, for the owner reference (so deleting the Node collects it).
    ///   - nodeAddress: the node's InternalIP; static control-plane pods use the host network,
    ///     so it is both the host and the pod IP.
    ///   - existing: the stored pod, if any: its uid and creationTimestamp are kept (kube would
    ///     give a recreated mirror pod a fresh uid; keeping it makes updates in place possible),
    ///     and while the hash is unchanged so are its start times.
    public static func build(from manifest: StaticPodFile, nodeName: String, nodeUID: String, nodeAddress: String,
                             now: Date = Date(), existing: JSONValue? = nil) -> JSONValue {
        let source = manifest.pod
        let podName = name(manifestName: manifest.name, nodeName: nodeName)
        let sameVersion = existing.flatMap(configHash(of:)) == manifest.hash
        let existingMeta = existing?["metadata"]
        let uid = existingMeta?["uid"]?.string ?? UUID().uuidString.lowercased()
        let created = existingMeta?["creationTimestamp"]?.string ?? KubeTime.rfc3339(now)
        // A manifest change restarts the container on a real node: new start times then.
        let started = (sameVersion ? existing?["status"]?["startTime"]?.string : nil) ?? KubeTime.rfc3339(now)
        let seen = (sameVersion ? existingMeta?["annotations"]?[seenAnnotation]?.string : nil)
            ?? KubeTime.rfc3339Nano(now)

        var annotations = source["metadata"]?["annotations"]?.object ?? [:]
        annotations[hashAnnotation] = .string(manifest.hash)
        annotations[mirrorAnnotation] = .string(manifest.hash)
        annotations[seenAnnotation] = .string(seen)
        annotations[sourceAnnotation] = .string("file")

        var metadata: [String: JSONValue] = [
            "name": .string(podName),
            "namespace": .string(manifest.namespace),
            "uid": .string(uid),
            "creationTimestamp": .string(created),
            "annotations": .object(annotations),
            "ownerReferences": .array([.object([
                "apiVersion": .string("v1"), "kind": .string("Node"), "name": .string(nodeName), "uid": .string(nodeUID),
                "controller": .bool(true),
            ])]),
        ]
        if let labels = source["metadata"]?["labels"], labels.object?.isEmpty == false { metadata["labels"] = labels }
        if let rv = existingMeta?["resourceVersion"] { metadata["resourceVersion"] = rv }

        let spec = defaultedSpec(source["spec"] ?? .object([:]), nodeName: nodeName)
        let status = runningStatus(spec: spec, uid: uid, hash: manifest.hash, nodeAddress: nodeAddress, started: started)
        return .object([
            "apiVersion": .string("v1"), "kind": .string("Pod"),
            "metadata": .object(metadata), "spec": spec, "status": status,
        ])
    }

    // MARK: - Spec defaults

    /// The manifest spec with the fields the API server's defaulting and admission add, which
    /// `kubectl get pod -o yaml` shows on a real mirror pod.
    static func defaultedSpec(_ input: JSONValue, nodeName: String) -> JSONValue {
        var spec = PodDefaults.pod(.object(["spec": input]))["spec"] ?? input
        spec["nodeName"] = .string(nodeName)
        if let className = spec["priorityClassName"]?.string, let priority = builtinPriorities[className] {
            spec["priority"] = .integer(priority)
        } else if spec["priority"] == nil || spec["priority"] == .null {
            spec["priority"] = .integer(0)
        }
        if spec["preemptionPolicy"] == nil || spec["preemptionPolicy"] == .null {
            spec["preemptionPolicy"] = .string("PreemptLowerPriority")
        }
        // The kubelet makes static pods tolerate every NoExecute taint, so they are never evicted
        // (and DefaultTolerationSeconds then adds nothing).
        var tolerations = spec["tolerations"]?.array ?? []
        let tolerateAll: JSONValue = .object(["effect": .string("NoExecute"), "operator": .string("Exists")])
        if !tolerations.contains(tolerateAll) { tolerations.append(tolerateAll) }
        spec["tolerations"] = .array(tolerations)
        return spec
    }

    /// The image pull policy core/v1 defaulting gives `image` (``PodDefaults/imagePullPolicy(image:)``).
    static func pullPolicy(image: String) -> String { PodDefaults.imagePullPolicy(image: image) }

    // MARK: - Status

    /// A status as the kubelet reports a pod whose containers started and pass readiness.
    static func runningStatus(spec: JSONValue, uid: String, hash: String, nodeAddress: String, started: String) -> JSONValue {
        let conditions: [JSONValue] = ["PodReadyToStartContainers", "Initialized", "Ready", "ContainersReady", "PodScheduled"]
            .map { .object(["type": .string($0), "status": .string("True"), "lastProbeTime": .null,
                            "lastTransitionTime": .string(started)]) }
        let containers = spec["containers"]?.array ?? []
        let statuses: [JSONValue] = containers.map { container in
            let name = container["name"]?.string ?? ""
            let image = container["image"]?.string ?? ""
            return .object([
                "name": .string(name),
                "image": .string(image),
                "imageID": .string(imageID(image)),
                // Stable for one pod version, new when the manifest changes (a restarted container).
                "containerID": .string("containerd://" + sha256Hex("\(uid)/\(hash)/\(name)")),
                "ready": .bool(true), "started": .bool(true), "restartCount": .integer(0),
                "lastState": .object([:]),
                "state": .object(["running": .object(["startedAt": .string(started)])]),
            ])
        }
        let ips: JSONValue = .array([.object(["ip": .string(nodeAddress)])])
        return .object([
            "phase": .string("Running"),
            "conditions": .array(conditions),
            "hostIP": .string(nodeAddress), "hostIPs": ips,
            "podIP": .string(nodeAddress), "podIPs": ips,
            "startTime": .string(started),
            "qosClass": .string(qosClass(containers: containers + (spec["initContainers"]?.array ?? []))),
            "containerStatuses": .array(statuses),
        ])
    }

    /// The pod's QoS class from its containers (``PodDefaults/qosClass(containers:)``).
    static func qosClass(containers: [JSONValue]) -> String { PodDefaults.qosClass(containers: containers) }

    /// `repo@sha256:<digest>`: a stand-in digest derived from the image reference, so the same
    /// image always reports the same id.
    static func imageID(_ image: String) -> String {
        var repository = image
        if let at = repository.firstIndex(of: "@") { return String(repository[..<at]) + repository[at...] }
        if let slash = repository.lastIndex(of: "/"), let colon = repository.lastIndex(of: ":"), colon > slash {
            repository = String(repository[..<colon])
        } else if !repository.contains("/"), let colon = repository.lastIndex(of: ":") {
            repository = String(repository[..<colon])
        }
        return "\(repository)@sha256:\(sha256Hex(image))"
    }

    static func sha256Hex(_ text: String) -> String {
        SHA256.hash(data: Data(text.utf8)).map { String(format: "%02x", $0) }.joined()
    }
}
