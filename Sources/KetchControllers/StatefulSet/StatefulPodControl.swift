import KubeClient
import KubeCore

/// Upstream's `StatefulPodControl`: carries out ``StatefulSetAction``s, making a pod's claims
/// before the pod, and records the events `kubectl describe statefulset` shows
/// (`SuccessfulCreate` "create Pod web-0 in StatefulSet web successful", "create Claim
/// www-web-0 Pod web-0 in StatefulSet web success", and their `Failed…` counterparts).
struct StatefulPodControl: Sendable {
    /// The StatefulSet.
    let set: JSONValue
    /// Where the writes and events go.
    let context: ControllerContext

    private var spec: StatefulSetSpec { StatefulSetSpec(set) }
    private var claimInformer: Informer { context.informer(BuiltinResources.persistentVolumeClaims) }

    /// Carries out `action`.
    func run(_ action: StatefulSetAction) async throws {
        switch action {
        case .createPod(let pod):
            try await createPod(pod)
        case .createMissingClaims(let pod):
            try await createClaims(for: pod)
            try await recording("update", pod) { try await updateClaimRetention(for: pod) }
        case .updatePod(let pod):
            try await updatePod(pod)
        case .updateClaimRetention(let pod):
            try await updateClaimRetention(for: pod)
        case .deletePod(let pod):
            do {
                try await context.api.delete(BuiltinResources.pods, namespace: spec.namespace, name: ObjectMetadata.name(pod),
                                             options: KubeDeleteOptions())
                event("delete", pod, nil)
            } catch where APIErrors.isNotFound(error) {
                return
            } catch {
                event("delete", pod, error)
                throw error
            }
        }
    }

    /// `CreateStatefulPod`: the claims, then the pod, then the claims' owner references.
    private func createPod(_ pod: JSONValue) async throws {
        do {
            try await createClaims(for: pod)
        } catch {
            event("create", pod, error)
            throw error
        }
        let created: JSONValue
        do {
            created = try await context.api.create(BuiltinResources.pods, namespace: spec.namespace, pod)
        } catch where APIErrors.isAlreadyExists(error) {
            throw error
        } catch {
            event("create", pod, error)
            throw error
        }
        try await recording("update", created) { try await updateClaimRetention(for: created) }
        event("create", pod, nil)
    }

    /// `UpdateStatefulPod`: the pod with its identity and volumes fixed (its claims made first)
    /// and its claims' owner references set, retried on conflicts with a fresh copy.
    private func updatePod(_ pod: JSONValue) async throws {
        var current = pod
        var attempt = 0
        while true {
            var fixed = current
            if !StatefulPodIdentity.identityMatches(fixed, set: spec) { StatefulPodIdentity.updateIdentity(&fixed, set: spec) }
            if !StatefulPodIdentity.storageMatches(fixed, set: spec) {
                StatefulPodIdentity.updateStorage(&fixed, set: spec)
                try await recording("update", fixed) { try await createClaims(for: fixed) }
            }
            try await recording("update", fixed) { try await updateClaimRetention(for: fixed) }
            if fixed == current { return }
            do {
                _ = try await context.api.update(BuiltinResources.pods, namespace: spec.namespace, fixed)
                event("update", fixed, nil)
                return
            } catch where APIErrors.isConflict(error) && attempt < 4 {
                attempt += 1
                current = try await context.api.get(BuiltinResources.pods, namespace: spec.namespace, name: ObjectMetadata.name(pod))
            } catch {
                event("update", fixed, error)
                throw error
            }
        }
    }

    /// `createPersistentVolumeClaims`: every missing claim of the pod, each with its event.
    /// A claim being deleted cannot serve the pod yet: that is an error until it is gone.
    private func createClaims(for pod: JSONValue) async throws {
        var failures: [String] = []
        for (_, claim) in StatefulPodIdentity.claims(spec, ordinal: StatefulPodIdentity.ordinal(of: pod)) {
            let name = ObjectMetadata.name(claim)
            if let existing = claimInformer.get(ObjectKey(namespace: spec.namespace, name: name)) {
                if ObjectMetadata.isDeleting(existing) { failures.append("pvc \(name) is being deleted") }
                continue
            }
            do {
                _ = try await context.api.create(BuiltinResources.persistentVolumeClaims, namespace: spec.namespace, claim)
                context.events.record(set, type: "Normal", reason: "SuccessfulCreate",
                                      message: "create Claim \(name) Pod \(ObjectMetadata.name(pod)) in StatefulSet \(spec.name) success")
            } catch where APIErrors.isAlreadyExists(error) {
                continue  // the cache had not caught up with an earlier sync
            } catch {
                context.events.record(set, type: "Warning", reason: "FailedCreate",
                                      message: "create Claim \(name) for Pod \(ObjectMetadata.name(pod)) in StatefulSet \(spec.name) failed error: \(APIErrors.message(error))")
                failures.append("failed to create PVC \(name): \(APIErrors.message(error))")
            }
        }
        if !failures.isEmpty { throw WorkloadError(failures.joined(separator: ", ")) }
    }

    /// `UpdatePodClaimForRetentionPolicy`: each existing claim of the pod gets the owner
    /// references its retention policy wants.
    private func updateClaimRetention(for pod: JSONValue) async throws {
        for (_, template) in StatefulPodIdentity.claims(spec, ordinal: StatefulPodIdentity.ordinal(of: pod)) {
            let name = ObjectMetadata.name(template)
            guard var claim = claimInformer.get(ObjectKey(namespace: spec.namespace, name: name)) else { continue }
            if StatefulClaimRetention.hasUnexpectedController(claim, set: set, pod: pod) {
                context.events.record(set, type: "Warning", reason: "ConflictingController",
                                      message: "PersistentVolumeClaim \(name) has a conflicting OwnerReference that acts as a manging controller, the retention policy is ignored for this claim")
            }
            guard !StatefulClaimRetention.isUpToDate(claim, set: set, pod: pod) else { continue }
            let refs = StatefulClaimRetention.ownerReferences(claim, set: set, pod: pod)
            claim["metadata"]?["ownerReferences"] = refs.isEmpty ? nil : .array(refs)
            do {
                _ = try await context.api.update(BuiltinResources.persistentVolumeClaims, namespace: spec.namespace, claim)
            } catch {
                throw WorkloadError("could not update claim \(name) for delete policy ownerRefs: \(APIErrors.message(error))")
            }
        }
    }

    /// Runs `body`, recording `Failed<Verb>` about `pod` if it throws.
    private func recording(_ verb: String, _ pod: JSONValue, _ body: () async throws -> Void) async throws {
        do {
            try await body()
        } catch {
            event(verb, pod, error)
            throw error
        }
    }

    /// `recordPodEvent`.
    private func event(_ verb: String, _ pod: JSONValue, _ error: (any Error)?) {
        let title = verb.prefix(1).uppercased() + verb.dropFirst()
        let subject = "\(verb) Pod \(ObjectMetadata.name(pod)) in StatefulSet \(spec.name)"
        if let error {
            context.events.record(set, type: "Warning", reason: "Failed\(title)",
                                  message: "\(subject) failed error: \(APIErrors.message(error))")
        } else {
            context.events.record(set, type: "Normal", reason: "Successful\(title)", message: "\(subject) successful")
        }
    }
}
