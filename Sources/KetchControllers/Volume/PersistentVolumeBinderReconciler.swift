import Foundation
import KubeClient
import KubeCore

/// kube-controller-manager's `persistentvolume-binder-controller` together with a simulated
/// dynamic provisioner (see ``VolumeWellKnown``): binds claims to matching volumes, provisions
/// a volume for a claim that has none, keeps volumes' phases (Available, Bound, Released) and
/// deletes a released volume whose reclaim policy is `Delete`.
///
/// Claims are reconciled by their `namespace/name` key; volumes, being cluster-scoped, by a key
/// without a namespace.
public struct PersistentVolumeBinderReconciler: Reconciler {
    /// The catalogue entry: `persistentvolume-binder-controller`, also accepted as
    /// `persistentvolume-binder`.
    public static let descriptor = ControllerDescriptor(VolumeWellKnown.component, aliases: ["persistentvolume-binder"]) { context in
        let own = context.reporting(as: VolumeWellKnown.eventSource)
        let reconciler = PersistentVolumeBinderReconciler(
            informers: own.informers, provisionerEvents: context.reporting(as: VolumeWellKnown.simulatedProvisioner).events)
        return [ControllerLoop(name: VolumeWellKnown.component, reconciler: reconciler, context: own)]
    }

    private let informers: InformerFactory
    /// Where the simulated provisioner's own events go (`Provisioning`, `ProvisioningSucceeded`).
    let provisionerEvents: EventRecorder

    /// A reconciler reading `informers`, reporting the provisioner's events to `provisionerEvents`.
    public init(informers: InformerFactory, provisionerEvents: EventRecorder) {
        self.informers = informers
        self.provisionerEvents = provisionerEvents
    }

    public var primary: ResourceType { BuiltinResources.persistentVolumeClaims }

    public var secondary: [SecondaryWatch] {
        let claims = informers.informer(BuiltinResources.persistentVolumeClaims)
        return [
            SecondaryWatch(BuiltinResources.persistentVolumes) { volume in
                var keys = [ObjectKey(namespace: nil, name: ObjectMetadata.name(volume))]
                if let ref = volume[path: ["spec", "claimRef"]], let name = ref["name"]?.string {
                    keys.append(ObjectKey(namespace: ref["namespace"]?.string, name: name))
                }
                return keys
            },
            SecondaryWatch(BuiltinResources.storageClasses) { _ in
                claims.list().filter { ClaimSpec($0).volumeName.isEmpty }.map { ObjectKey($0) }
            },
            // A first consumer of a WaitForFirstConsumer claim.
            SecondaryWatch(BuiltinResources.pods) { pod in
                (pod[path: ["spec", "volumes"]]?.array ?? []).compactMap {
                    $0[path: ["persistentVolumeClaim", "claimName"]]?.string
                }.map { ObjectKey(namespace: ObjectMetadata.namespace(pod), name: $0) }
            },
        ]
    }

    public func reconcile(_ key: ObjectKey, context: ControllerContext) async throws -> ReconcileResult {
        guard let namespace = key.namespace else {
            if let volume = context.informer(BuiltinResources.persistentVolumes).get(key) {
                try await syncVolume(volume, context: context)
            }
            return .done
        }
        guard let claim = context.informer(BuiltinResources.persistentVolumeClaims).get(key) else {
            // The claim is gone: release the volumes that were bound to it.
            let volumes = context.informer(BuiltinResources.persistentVolumes).list().filter {
                $0[path: ["spec", "claimRef", "namespace"]]?.string == namespace && $0[path: ["spec", "claimRef", "name"]]?.string == key.name
            }
            for volume in volumes { try await syncVolume(volume, context: context) }
            return .done
        }
        if ObjectMetadata.isDeleting(claim) { return .done }
        if ClaimSpec(claim).volumeName.isEmpty {
            try await syncUnboundClaim(claim, context: context)
        } else {
            try await syncBoundClaim(claim, context: context)
        }
        return .done
    }

    /// `syncUnboundClaim`: bind, give the default class, provision, or wait.
    private func syncUnboundClaim(_ claim: JSONValue, context: ControllerContext) async throws {
        let step = ClaimBindingStep.decide(
            claim, volumes: context.informer(BuiltinResources.persistentVolumes).list(),
            storageClasses: context.informer(BuiltinResources.storageClasses).list(),
            pods: context.informer(BuiltinResources.pods).list(namespace: ObjectMetadata.namespace(claim)))
        switch step {
        case .bind(let volume):
            try await bind(claim, to: volume, context: context)
        case .assignDefaultClass(let name):
            var updated = claim
            updated["spec"]?["storageClassName"] = .string(name)
            _ = try await context.api.update(BuiltinResources.persistentVolumeClaims, namespace: ObjectMetadata.namespace(claim), updated)
        case .provision(let className, let storageClass, let provisioner, let selectedNode):
            let annotated = try await annotateForProvisioning(claim, provisioner: provisioner, selectedNode: selectedNode, context: context)
            let volume = try await provision(annotated, className: className, storageClass: storageClass,
                                             provisioner: provisioner, selectedNode: selectedNode, context: context)
            try await bind(annotated, to: volume, context: context)
        case .wait(let event):
            event?.record(about: claim, with: context.events)
        }
    }

    /// `syncBoundClaim`: finish a binding half done, or report a claim whose volume is gone or
    /// bound elsewhere as `Lost`.
    private func syncBoundClaim(_ claim: JSONValue, context: ControllerContext) async throws {
        let spec = ClaimSpec(claim)
        let completed = ObjectMetadata.annotations(claim)[VolumeWellKnown.bindCompleted] != nil
        guard let volume = context.informer(BuiltinResources.persistentVolumes).get(ObjectKey(namespace: nil, name: spec.volumeName)) else {
            if completed {
                try await markLost(claim, reason: "ClaimLost",
                                   message: "Bound claim has lost reference to PersistentVolume. Data on the volume is lost!", context: context)
            }
            return
        }
        if let ref = volume[path: ["spec", "claimRef"]], !ref.isNull {
            if VolumeMatch.refers(ref, to: spec) {
                try await bind(claim, to: volume, context: context)
            } else if completed {
                try await markLost(claim, reason: "ClaimMisbound",
                                   message: "Two claims are bound to the same volume, this one is bound incorrectly", context: context)
            }
            return
        }
        // The user named the volume; the binder completes the pairing.
        try await bind(claim, to: volume, context: context)
    }

    /// `bind`: the volume's claimRef and phase Bound, then the claim's volumeName, annotations
    /// and status; each write only when something is missing.
    private func bind(_ claim: JSONValue, to volume: JSONValue, context: ControllerContext) async throws {
        let volumes = BuiltinResources.persistentVolumes
        let claims = BuiltinResources.persistentVolumeClaims
        var volume = volume
        let ref = volume[path: ["spec", "claimRef"]]
        if ref == nil || ref?.isNull == true || ref?["uid"]?.string != ObjectMetadata.uid(claim) {
            volume = try await context.api.update(volumes, namespace: nil, VolumeBinding.volume(volume, boundTo: claim))
        }
        if volume[path: ["status", "phase"]]?.string != "Bound" {
            var bound = volume
            bound["status"] = .object((volume["status"]?.object ?? [:]).merging(["phase": .string("Bound")]) { $1 })
            volume = try await context.api.updateStatus(volumes, namespace: nil, bound)
        }
        guard !VolumeBinding.claimIsBound(claim, to: volume) else { return }
        var current = claim
        let namespace = ObjectMetadata.namespace(claim)
        let wanted = VolumeBinding.claim(claim, boundTo: volume)
        if wanted != claim { current = try await context.api.update(claims, namespace: namespace, wanted) }
        current["status"] = VolumeBinding.boundStatus(current, volume: volume)
        _ = try await context.api.updateStatus(claims, namespace: namespace, current)
    }

    /// Names the provisioner on the claim (and the chosen node, for WaitForFirstConsumer), as
    /// the binder does before an external provisioner takes over.
    private func annotateForProvisioning(_ claim: JSONValue, provisioner: String, selectedNode: String?,
                                         context: ControllerContext) async throws -> JSONValue {
        var annotated = claim
        VolumeBinding.annotate(&annotated, VolumeWellKnown.storageProvisioner, provisioner)
        VolumeBinding.annotate(&annotated, VolumeWellKnown.betaStorageProvisioner, provisioner)
        if let selectedNode { VolumeBinding.annotate(&annotated, VolumeWellKnown.selectedNode, selectedNode) }
        guard annotated != claim else { return claim }
        context.events.record(claim, type: "Normal", reason: "ExternalProvisioning",
                              message: "Waiting for a volume to be created either by the external provisioner '\(provisioner)' or manually by the system administrator. If volume creation is delayed, please verify that the provisioner is running and correctly registered.")
        return try await context.api.update(BuiltinResources.persistentVolumeClaims, namespace: ObjectMetadata.namespace(claim), annotated)
    }

    /// The simulated provisioner: makes the claim's volume (or finds the one it made before).
    private func provision(_ claim: JSONValue, className: String?, storageClass: JSONValue?, provisioner: String,
                           selectedNode: String?, context: ControllerContext) async throws -> JSONValue {
        let claimKey = "\(ObjectMetadata.namespace(claim))/\(ObjectMetadata.name(claim))"
        provisionerEvents.record(claim, type: "Normal", reason: "Provisioning",
                                 message: "External provisioner is provisioning volume for claim \"\(claimKey)\"")
        let volume = ProvisionedVolume.volume(for: claim, className: className, storageClass: storageClass,
                                              provisioner: provisioner, selectedNode: selectedNode)
        let created: JSONValue
        do {
            created = try await context.api.create(BuiltinResources.persistentVolumes, namespace: nil, volume)
        } catch where APIErrors.isAlreadyExists(error) {
            return try await context.api.get(BuiltinResources.persistentVolumes, namespace: nil, name: ObjectMetadata.name(volume))
        } catch {
            provisionerEvents.record(claim, type: "Warning", reason: "ProvisioningFailed",
                                     message: "failed to provision volume with StorageClass \"\(className ?? "")\": \(APIErrors.message(error))")
            throw error
        }
        provisionerEvents.record(claim, type: "Normal", reason: "ProvisioningSucceeded",
                                 message: "Successfully provisioned volume \(ObjectMetadata.name(created))")
        return created
    }

    /// `syncVolume`: the volume's phase, an unbinding, or its release and deletion.
    private func syncVolume(_ volume: JSONValue, context: ControllerContext) async throws {
        let volumes = BuiltinResources.persistentVolumes
        var claim: JSONValue?
        if let ref = volume[path: ["spec", "claimRef"]], let name = ref["name"]?.string {
            claim = context.informer(BuiltinResources.persistentVolumeClaims).get(ObjectKey(namespace: ref["namespace"]?.string, name: name))
        }
        switch VolumeSyncStep.decide(volume, claim: claim) {
        case .none:
            return
        case .setPhase(let phase):
            _ = try await context.api.updateStatus(volumes, namespace: nil, Self.withPhase(volume, phase))
        case .unbind:
            var unbound = volume
            unbound["spec"]?["claimRef"] = nil
            unbound["metadata"]?["annotations"]?[VolumeWellKnown.boundByController] = nil
            let updated = try await context.api.update(volumes, namespace: nil, unbound)
            _ = try await context.api.updateStatus(volumes, namespace: nil, Self.withPhase(updated, "Available"))
        case .release(let delete):
            var current = volume
            if volume[path: ["status", "phase"]]?.string != "Released" {
                current = try await context.api.updateStatus(volumes, namespace: nil, Self.withPhase(volume, "Released"))
            }
            guard delete else { return }
            do {
                try await context.api.delete(volumes, namespace: nil, name: ObjectMetadata.name(current),
                                             options: KubeDeleteOptions(preconditionUID: ObjectMetadata.uid(current)))
            } catch where APIErrors.isNotFound(error) {
                return
            }
        }
    }

    /// Marks the claim `Lost` and says why.
    private func markLost(_ claim: JSONValue, reason: String, message: String, context: ControllerContext) async throws {
        guard claim[path: ["status", "phase"]]?.string != "Lost" else { return }
        var lost = claim
        lost["status"] = .object((claim["status"]?.object ?? [:]).merging(["phase": .string("Lost")]) { $1 })
        _ = try await context.api.updateStatus(BuiltinResources.persistentVolumeClaims, namespace: ObjectMetadata.namespace(claim), lost)
        context.events.record(claim, type: "Warning", reason: reason, message: message)
    }

    private static func withPhase(_ volume: JSONValue, _ phase: String) -> JSONValue {
        var updated = volume
        updated["status"] = .object((volume["status"]?.object ?? [:]).merging(["phase": .string(phase)]) { $1 })
        return updated
    }
}
