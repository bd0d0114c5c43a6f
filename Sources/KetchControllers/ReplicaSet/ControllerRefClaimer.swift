import KubeClient
import KubeCore

/// Carries out ``ControllerRefClaim`` decisions through the API, as upstream's
/// `ControllerRefManager.Claim*`: adopts matching orphans, releases owned objects that no
/// longer match, and returns what the controller owns afterwards.
struct ControllerRefClaimer {
    /// Where patches go.
    let api: any KubeAPI
    /// The claiming controller.
    let controller: JSONValue
    /// The controller's resource.
    let controllerType: ResourceType
    /// The resource of the claimed objects.
    let ownedType: ResourceType

    /// The objects among `candidates` the controller owns once adoptions and releases are done.
    /// Objects that vanished meanwhile are skipped; any other failure is thrown after the rest
    /// have been tried, so the controller retries.
    func claim(_ candidates: [JSONValue], matches: (JSONValue) -> Bool) async throws -> [JSONValue] {
        var claimed: [JSONValue] = []
        var firstError: (any Error)?
        var adoptionChecked = false
        for object in candidates {
            let decision = ControllerRefClaim.decide(object, controller: controller, matches: matches(object))
            do {
                switch decision {
                case .owned:
                    claimed.append(object)
                case .adopt:
                    if !adoptionChecked {
                        try await recheckController()
                        adoptionChecked = true
                    }
                    let patch = ControllerRefClaim.adoptPatch(object, controller: controller, controllerType: controllerType)
                    claimed.append(try await send(patch, to: object))
                case .release:
                    _ = try await send(ControllerRefClaim.releasePatch(object, controller: controller), to: object)
                case .ignore:
                    break
                }
            } catch where APIErrors.isNotFound(error) {
                continue
            } catch {
                firstError = firstError ?? error
            }
        }
        if let firstError { throw firstError }
        return claimed
    }

    private func send(_ patch: JSONValue, to object: JSONValue) async throws -> JSONValue {
        try await api.patch(ownedType, namespace: ObjectMetadata.namespace(object), name: ObjectMetadata.name(object),
                            patch, kind: .strategicMerge, subresource: nil)
    }

    /// Upstream's `RecheckDeletionTimestamp`: before the first adoption, a fresh read proves the
    /// controller is still the same object and not being deleted, since the cache may be stale.
    private func recheckController() async throws {
        let namespace = ObjectMetadata.namespace(controller), name = ObjectMetadata.name(controller)
        let fresh = try await api.get(controllerType, namespace: namespace.isEmpty ? nil : namespace, name: name)
        let uid = ObjectMetadata.uid(controller)
        if ObjectMetadata.uid(fresh) != uid {
            throw WorkloadError("original \(controllerType.kind) \(namespace)/\(name) is gone: got uid \(ObjectMetadata.uid(fresh)), wanted \(uid)")
        }
        if let stamp = fresh[path: ["metadata", "deletionTimestamp"]]?.string {
            throw WorkloadError("\(namespace)/\(name) has just been deleted at \(stamp)")
        }
    }
}

