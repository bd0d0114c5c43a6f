import Foundation
import KubeClient
import KubeCore

/// The parts of kube-apiserver's registry strategies the fake reproduces, as pure functions over
/// objects: what create resets, when generation moves, which finalizers a delete adds.
enum FakeObjectRules {
    /// `metav1.FinalizerOrphanDependents`.
    static let orphanFinalizer = "orphan"
    /// `metav1.FinalizerDeleteDependents`.
    static let foregroundFinalizer = "foregroundDeletion"

    /// The status a new object starts with: strategies with a status subresource drop what the
    /// client sent (`PrepareForCreate`), except Nodes, which may be created with a status.
    static func statusOnCreate(_ type: ResourceType, _ object: JSONValue) -> JSONValue? {
        guard type.subresources.contains("status"), type != BuiltinResources.nodes else { return object["status"] }
        switch type {
        case BuiltinResources.pods: return .object(["phase": .string("Pending")])
        case BuiltinResources.namespaces: return .object(["phase": .string("Active")])
        default: return nil
        }
    }

    /// Whether an update from `old` to `new` bumps `metadata.generation`: a change of anything
    /// but metadata and status (the spec, or a ConfigMap's data), and for Deployments also of
    /// the annotations, as apps/v1's strategy does.
    static func changesGeneration(_ type: ResourceType, old: JSONValue, new: JSONValue) -> Bool {
        func body(_ object: JSONValue) -> JSONValue {
            var o = object.object ?? [:]
            for key in ["metadata", "status", "apiVersion", "kind"] { o.removeValue(forKey: key) }
            return .object(o)
        }
        if !body(old).isEquivalent(to: body(new)) { return true }
        if type == BuiltinResources.deployments {
            return old[at: ["metadata", "annotations"]] != new[at: ["metadata", "annotations"]]
        }
        return false
    }

    /// The finalizers after a delete with `policy`, as the generic registry's
    /// `deletionFinalizersForGarbageCollection` computes them: an explicit policy decides, and
    /// without one the finalizers already present stay.
    static func finalizersForDeletion(_ finalizers: [String], policy: String?) -> [String] {
        let orphan = policy.map { $0 == "Orphan" } ?? finalizers.contains(orphanFinalizer)
        let foreground = policy.map { $0 == "Foreground" } ?? finalizers.contains(foregroundFinalizer)
        var result = finalizers.filter { $0 != orphanFinalizer && $0 != foregroundFinalizer }
        if orphan { result.append(orphanFinalizer) }
        if foreground { result.append(foregroundFinalizer) }
        return result
    }

    /// The grace period of a delete: Pods default to `terminationGracePeriodSeconds` (30) and
    /// go at once when unscheduled or finished (the pod strategy's `CheckGracefulDelete`); other
    /// resources have none.
    static func gracePeriod(_ type: ResourceType, _ object: JSONValue, requested: Int?) -> Int {
        guard type == BuiltinResources.pods else { return 0 }
        let phase = object[at: ["status", "phase"]]?.string
        if (object[at: ["spec", "nodeName"]]?.string ?? "").isEmpty || phase == "Succeeded" || phase == "Failed" {
            return 0
        }
        return max(0, requested ?? object[at: ["spec", "terminationGracePeriodSeconds"]]?.int ?? 30)
    }

    /// Whether an object being deleted may go now: no finalizers left (metadata ones, and a
    /// Namespace's `spec.finalizers`) and no grace period running.
    static func isReadyToRemove(_ type: ResourceType, _ object: JSONValue) -> Bool {
        guard object[at: ["metadata", "deletionTimestamp"]]?.string != nil else { return false }
        if !(object[at: ["metadata", "finalizers"]]?.array ?? []).isEmpty { return false }
        if type == BuiltinResources.namespaces, !(object[at: ["spec", "finalizers"]]?.array ?? []).isEmpty { return false }
        return (object[at: ["metadata", "deletionGracePeriodSeconds"]]?.int ?? 0) == 0
    }

    /// A name for `generateName`: the prefix and five characters from apimachinery's alphabet
    /// (no vowels, no look-alike digits).
    static func generatedName(_ prefix: String) -> String {
        let alphabet = Array("bcdfghjklmnpqrstvwxz2456789")
        return prefix + String((0..<5).map { _ in alphabet.randomElement()! })
    }

    /// Whether `object` passes both selectors.
    static func matches(_ object: JSONValue, labels: LabelSelector, fields: FieldSelector) -> Bool {
        labels.matches(object: object) && fields.matches(object)
    }

    /// The parsed selectors of list or watch options; a malformed one is a 400 as the server
    /// answers.
    static func selectors(_ options: KubeListOptions) throws -> (LabelSelector, FieldSelector) {
        do {
            let labels = try options.labelSelector.map { try LabelSelector(parsing: $0) } ?? .everything
            let fields = try options.fieldSelector.map { try FieldSelector(parsing: $0) } ?? .everything
            return (labels, fields)
        } catch {
            throw KubeStatus.badRequest(String(describing: error))
        }
    }
}
