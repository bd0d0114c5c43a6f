import Foundation
import KubeClient
import KubeCore

/// kube-controller-manager's `namespace-controller`: a Namespace being deleted has its
/// contents deleted, resource by resource, and once nothing is left its `kubernetes`
/// finalizer is removed through `/finalize`, after which the apiserver removes it.
///
/// Objects held by their own finalizers or grace periods (pods waiting for their kubelet) keep
/// the namespace Terminating, with the `NamespaceContentRemaining` and
/// `NamespaceFinalizersRemaining` conditions saying why, as upstream reports.
public struct NamespaceReconciler: Reconciler {
    /// The catalogue entry.
    public static let descriptor = ControllerDescriptor.reconciler("namespace-controller", aliases: ["namespace"]) {
        NamespaceReconciler()
    }

    /// The finalizer the apiserver puts in `spec.finalizers`.
    static let finalizer = "kubernetes"

    /// Namespaces.
    public init() {}

    public var primary: ResourceType { BuiltinResources.namespaces }
    public var workers: Int { 10 }

    public func reconcile(_ key: ObjectKey, context: ControllerContext) async throws -> ReconcileResult {
        guard let cached = context.informer(BuiltinResources.namespaces).get(key), NamespaceState.isTerminating(cached) else {
            return .done
        }
        let name = key.name
        let remaining = try await deleteContents(of: name, context: context)
        if remaining.isEmpty {
            try await finalize(name, context: context)
            return .done
        }
        try await report(remaining, namespace: name, context: context)
        return .requeue(after: .seconds(1))
    }

    /// What is left in a namespace: per resource, how many objects, and the finalizers holding them.
    struct Remaining: Equatable {
        var counts: [String: Int] = [:]
        var finalizers: [String: Int] = [:]
        var isEmpty: Bool { counts.isEmpty }
    }

    /// Deletes every object of every namespaced resource in `namespace`; returns what is left.
    func deleteContents(of namespace: String, context: ControllerContext) async throws -> Remaining {
        var remaining = Remaining()
        for type in try await namespacedResources(context) {
            let objects = try await context.api.listAll(type, namespace: namespace).items
            for object in objects {
                let deleting = object["metadata"]?["deletionTimestamp"].map { !$0.isNull } ?? false
                if !deleting {
                    do {
                        let name = object["metadata"]?["name"]?.string ?? ""
                        try await context.api.delete(type, namespace: namespace, name: name,
                                                     options: KubeDeleteOptions(propagationPolicy: "Background"))
                    } catch let status as KubeStatus where status.code == 404 || status.code == 405 {
                        continue
                    }
                }
                remaining.counts[type.qualifiedName, default: 0] += 1
                for finalizer in object["metadata"]?["finalizers"]?.array ?? [] {
                    if let text = finalizer.string { remaining.finalizers[text, default: 0] += 1 }
                }
            }
        }
        // What was deleted without being held is gone now; count again only what stays.
        var left = Remaining()
        for type in try await namespacedResources(context) where remaining.counts[type.qualifiedName] != nil {
            let objects = try await context.api.listAll(type, namespace: namespace).items
            if !objects.isEmpty { left.counts[type.qualifiedName] = objects.count }
            for object in objects {
                for finalizer in object["metadata"]?["finalizers"]?.array ?? [] {
                    if let text = finalizer.string { left.finalizers[text, default: 0] += 1 }
                }
            }
        }
        return left
    }

    /// The namespaced resources that can be listed and deleted: built-ins and served custom resources.
    func namespacedResources(_ context: ControllerContext) async throws -> [ResourceType] {
        let crds = context.informer(BuiltinResources.customResourceDefinitions).list()
        let catalogue = ResourceCatalogue(crds: crds)
        return catalogue.all.filter { type in
            type.namespaced && type.isStored && type.verbs.contains("delete") && type.verbs.contains("list")
                && !(type.group == "" && type.plural == "events") // events go with the namespace
        }
    }

    /// Removes the `kubernetes` finalizer through the `finalize` subresource.
    func finalize(_ name: String, context: ControllerContext) async throws {
        let namespaces = BuiltinResources.namespaces
        var namespace: JSONValue
        do {
            namespace = try await context.api.get(namespaces, namespace: nil, name: name)
        } catch let status as KubeStatus where status.code == 404 {
            return
        }
        let finalizers = namespace["spec"]?["finalizers"]?.array ?? []
        guard finalizers.contains(.string(Self.finalizer)) else { return }
        var spec = namespace["spec"]?.object ?? [:]
        spec["finalizers"] = .array(finalizers.filter { $0 != .string(Self.finalizer) })
        namespace["spec"] = .object(spec)
        do {
            _ = try await context.api.update(namespaces, namespace: nil, namespace, subresource: "finalize")
        } catch let status as KubeStatus where status.code == 404 {
            return
        }
    }

    /// Writes upstream's conditions about what is left.
    func report(_ remaining: Remaining, namespace name: String, context: ControllerContext) async throws {
        let now = KubeTime.rfc3339(context.now())
        let content = remaining.counts.sorted { $0.key < $1.key }.map { "\($0.key) has \($0.value) resource instances" }
        let finalizers = remaining.finalizers.sorted { $0.key < $1.key }.map { "\($0.key) in \($0.value) resource instances" }
        let conditions: [JSONValue] = [
            Self.condition("NamespaceContentRemaining", !content.isEmpty, reason: content.isEmpty ? "ContentDeleted" : "SomeResourcesRemain",
                           message: content.isEmpty ? "All content successfully removed" : "Some resources are remaining: " + content.joined(separator: ", "), now: now),
            Self.condition("NamespaceFinalizersRemaining", !finalizers.isEmpty, reason: finalizers.isEmpty ? "ContentHasNoFinalizers" : "SomeFinalizersRemain",
                           message: finalizers.isEmpty ? "All content-preserving finalizers finished" : "Some content in the namespace has finalizers remaining: " + finalizers.joined(separator: ", "), now: now),
        ]
        guard var namespace = context.informer(BuiltinResources.namespaces).get(ObjectKey(namespace: nil, name: name)) else { return }
        var status = namespace["status"]?.object ?? [:]
        let old = (status["conditions"]?.array ?? []).filter { !["NamespaceContentRemaining", "NamespaceFinalizersRemaining"].contains($0["type"]?.string ?? "") }
        let same = (status["conditions"]?.array ?? []).map(Self.withoutTime) == (old + conditions).map(Self.withoutTime)
        guard !same else { return }
        status["conditions"] = .array(old + conditions)
        namespace["status"] = .object(status)
        do {
            _ = try await context.api.updateStatus(BuiltinResources.namespaces, namespace: nil, namespace)
        } catch let status as KubeStatus where status.code == 404 || status.code == 409 {
            return
        }
    }

    static func condition(_ type: String, _ on: Bool, reason: String, message: String, now: String) -> JSONValue {
        .object(["type": .string(type), "status": .string(on ? "True" : "False"), "reason": .string(reason),
                 "message": .string(message), "lastTransitionTime": .string(now)])
    }

    static func withoutTime(_ condition: JSONValue) -> JSONValue {
        var copy = condition
        copy["lastTransitionTime"] = nil
        return copy
    }
}
