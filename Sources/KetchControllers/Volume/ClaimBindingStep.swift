import KubeCore

/// What the binder does next for a claim not bound yet, as upstream's `syncUnboundClaim`
/// decides it, with the simulated provisioner standing in for external ones.
public enum ClaimBindingStep: Sendable, Equatable {
    /// Bind to this existing volume (pre-bound to the claim, or the best match).
    case bind(JSONValue)
    /// Give the claim the default StorageClass (retroactive default class assignment).
    case assignDefaultClass(String)
    /// Provision a volume of class `className` (nil: none) described by `storageClass` (nil:
    /// no object), by `provisioner`, on `selectedNode` for WaitForFirstConsumer.
    case provision(className: String?, storageClass: JSONValue?, provisioner: String, selectedNode: String?)
    /// Nothing to do yet; record `event` (nil: none) about the claim.
    case wait(PlannedEvent?)

    /// The step for `claim` given the `volumes`, `storageClasses` and the claim's namespace's
    /// `pods`.
    public static func decide(_ claim: JSONValue, volumes: [JSONValue], storageClasses: [JSONValue],
                              pods: [JSONValue]) -> ClaimBindingStep {
        let spec = ClaimSpec(claim)
        if let volume = VolumeMatch.best(for: claim, among: volumes) { return .bind(volume) }
        guard let className = spec.storageClassName else {
            if let defaultClass = defaultClass(storageClasses) { return .assignDefaultClass(ObjectMetadata.name(defaultClass)) }
            // No default class: the simulated provisioner serves class-less claims too.
            return .provision(className: nil, storageClass: nil, provisioner: VolumeWellKnown.simulatedProvisioner, selectedNode: nil)
        }
        if className.isEmpty {
            return .wait(.normal("FailedBinding", "no persistent volumes available for this claim and no storage class is set"))
        }
        guard let storageClass = storageClasses.first(where: { ObjectMetadata.name($0) == className }) else {
            if className == VolumeWellKnown.standardClass {
                return .provision(className: className, storageClass: nil, provisioner: VolumeWellKnown.simulatedProvisioner,
                                  selectedNode: nil)
            }
            return .wait(.warning("ProvisioningFailed", "storageclass.storage.k8s.io \"\(className)\" not found"))
        }
        var selectedNode: String?
        if storageClass["volumeBindingMode"]?.string == "WaitForFirstConsumer" {
            selectedNode = ObjectMetadata.annotations(claim)[VolumeWellKnown.selectedNode] ?? consumerNode(of: spec, pods: pods)
            if selectedNode == nil {
                return .wait(.normal("WaitForFirstConsumer", "waiting for first consumer to be created before binding"))
            }
        }
        let provisioner = storageClass["provisioner"]?.string ?? VolumeWellKnown.simulatedProvisioner
        if provisioner == VolumeWellKnown.noProvisioner {
            return .wait(.normal("FailedBinding", "no persistent volumes available for this claim and no storage class is set"))
        }
        return .provision(className: className, storageClass: storageClass, provisioner: provisioner, selectedNode: selectedNode)
    }

    /// The default StorageClass: annotated `is-default-class: "true"`, the newest when several
    /// are (as the DefaultStorageClass admission plugin picks).
    public static func defaultClass(_ storageClasses: [JSONValue]) -> JSONValue? {
        storageClasses.filter { ObjectMetadata.annotations($0)[VolumeWellKnown.isDefaultClass] == "true" }
            .max { ($0[path: ["metadata", "creationTimestamp"]]?.string ?? "", ObjectMetadata.name($0))
                < ($1[path: ["metadata", "creationTimestamp"]]?.string ?? "", ObjectMetadata.name($1)) }
    }

    /// The node of the first scheduled, live pod that mounts the claim.
    static func consumerNode(of claim: ClaimSpec, pods: [JSONValue]) -> String? {
        pods.first { pod in
            PodReadiness.isActive(pod) && !PodReadiness.nodeName(pod).isEmpty
                && (pod[path: ["spec", "volumes"]]?.array ?? []).contains {
                    $0[path: ["persistentVolumeClaim", "claimName"]]?.string == claim.name
                }
        }.map(PodReadiness.nodeName)
    }
}
