import KubeClient
import KubeCore

/// Upstream's `RealPodControl`: pod creations and deletions on behalf of a controller, each
/// recorded as an event about it (`SuccessfulCreate` "Created pod: x", `FailedCreate`,
/// `SuccessfulDelete` "Deleted pod: x", `FailedDelete`).
struct PodControl: Sendable {
    /// The controller the pods belong to (the events' object).
    let owner: JSONValue
    /// Where the writes and events go.
    let context: ControllerContext

    /// Creates `pod` in the owner's namespace; returns it as stored. A namespace being deleted
    /// refuses every create; that is no failure worth an event.
    func create(_ pod: JSONValue) async throws -> JSONValue {
        do {
            let created = try await context.api.create(BuiltinResources.pods, namespace: ObjectMetadata.namespace(owner), pod)
            context.events.record(owner, type: "Normal", reason: "SuccessfulCreate", message: "Created pod: \(ObjectMetadata.name(created))")
            return created
        } catch {
            if !APIErrors.isNamespaceTerminating(error) {
                context.events.record(owner, type: "Warning", reason: "FailedCreate", message: "Error creating: \(APIErrors.message(error))")
            }
            throw error
        }
    }

    /// Deletes `pod`. A pod already gone throws its 404 without an event.
    func delete(_ pod: JSONValue) async throws {
        let name = ObjectMetadata.name(pod)
        do {
            try await context.api.delete(BuiltinResources.pods, namespace: ObjectMetadata.namespace(pod), name: name,
                                         options: KubeDeleteOptions())
            context.events.record(owner, type: "Normal", reason: "SuccessfulDelete", message: "Deleted pod: \(name)")
        } catch {
            if !APIErrors.isNotFound(error) {
                context.events.record(owner, type: "Warning", reason: "FailedDelete", message: "Error deleting: \(APIErrors.message(error))")
            }
            throw error
        }
    }
}
