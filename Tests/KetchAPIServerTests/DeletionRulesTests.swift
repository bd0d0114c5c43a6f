import Foundation
import KubeCore
import Testing
@testable import KetchAPIServer

/// The pure deletion decisions: `rest.BeforeDelete` with the pod strategy, the garbage
/// collector's finalizers, `markAsDeleting` and `ShouldDeleteDuringUpdate`.
@Suite struct DeletionRulesTests {
    static let now = Date(timeIntervalSince1970: 1_750_000_000)
    static func at(_ offset: Int) -> String { KubeTime.rfc3339(now.addingTimeInterval(TimeInterval(offset))) }

    static func pod(node: String? = "n1", phase: String = "Running", grace: Int? = 30, meta: String = "") -> JSONValue {
        var spec: [String: JSONValue] = [:]
        if let node { spec["nodeName"] = .string(node) }
        if let grace { spec["terminationGracePeriodSeconds"] = .integer(grace) }
        var metadata = JSONValue(json: "{\"name\":\"p\",\"uid\":\"u1\",\"resourceVersion\":\"5\"\(meta.isEmpty ? "" : "," + meta)}")
        metadata["namespace"] = .string("default")
        return .object(["metadata": metadata, "spec": .object(spec), "status": .object(["phase": .string(phase)])])
    }

    @Test func podGracePeriodFollowsTheStrategy() {
        #expect(DeletionRules.podGracePeriod(Self.pod(), requested: nil) == 30)
        #expect(DeletionRules.podGracePeriod(Self.pod(), requested: 5) == 5)
        #expect(DeletionRules.podGracePeriod(Self.pod(grace: nil), requested: nil) == 0)
        #expect(DeletionRules.podGracePeriod(Self.pod(node: nil), requested: 5) == 0)
        #expect(DeletionRules.podGracePeriod(Self.pod(phase: "Succeeded"), requested: nil) == 0)
        #expect(DeletionRules.podGracePeriod(Self.pod(phase: "Failed"), requested: 10) == 0)
        #expect(DeletionRules.podGracePeriod(Self.pod(grace: -3), requested: nil) == 1)
    }

    @Test func firstDeleteOfABoundPodStartsTheGracePeriod() throws {
        var pod = Self.pod()
        var options = DeleteOptions()
        let decision = try DeletionRules.beforeDelete(&pod, BuiltinResources.pods, options: &options, now: Self.now)
        #expect(decision == .init(graceful: true, pending: false))
        #expect(options.gracePeriodSeconds == 30)
        #expect(pod["metadata"]?["deletionTimestamp"]?.string == Self.at(30))
        #expect(pod["metadata"]?["deletionGracePeriodSeconds"]?.int == 30)
    }

    @Test func aLaterDeleteMayOnlyShortenIt() throws {
        let terminating = Self.pod(meta: "\"deletionTimestamp\":\"\(Self.at(30))\",\"deletionGracePeriodSeconds\":30")
        // Shorter: the deadline moves earlier by the difference.
        var pod = terminating
        var options = DeleteOptions()
        options.gracePeriodSeconds = 0
        var decision = try DeletionRules.beforeDelete(&pod, BuiltinResources.pods, options: &options, now: Self.now.addingTimeInterval(3))
        #expect(decision == .init(graceful: true, pending: false))
        #expect(pod["metadata"]?["deletionTimestamp"]?.string == Self.at(0))
        #expect(pod["metadata"]?["deletionGracePeriodSeconds"]?.int == 0)
        // Longer, or no period: pending, nothing changes; the options take the pod's period.
        for requested in [nil, 60] as [Int?] {
            pod = terminating
            options = DeleteOptions()
            options.gracePeriodSeconds = requested
            decision = try DeletionRules.beforeDelete(&pod, BuiltinResources.pods, options: &options, now: Self.now)
            #expect(decision == .init(graceful: false, pending: true))
            #expect(pod == terminating)
        }
        #expect(options.gracePeriodSeconds == 60)
        // A stored period of 0 is a delete that stopped half-way: delete now.
        pod = Self.pod(meta: "\"deletionTimestamp\":\"\(Self.at(0))\",\"deletionGracePeriodSeconds\":0")
        options = DeleteOptions()
        decision = try DeletionRules.beforeDelete(&pod, BuiltinResources.pods, options: &options, now: Self.now)
        #expect(decision == .init(graceful: false, pending: false))
    }

    @Test func otherTypesAreNotGraceful() throws {
        var cm = JSONValue(json: #"{"metadata":{"name":"c","uid":"u"}}"#)
        var options = DeleteOptions()
        options.gracePeriodSeconds = 30
        let decision = try DeletionRules.beforeDelete(&cm, BuiltinResources.configMaps, options: &options, now: Self.now)
        #expect(decision == .init(graceful: false, pending: false))
        #expect(cm["metadata"]?["deletionTimestamp"] == nil)
    }

    @Test func preconditionsAreCheckedInBeforeDeletesWords() {
        var pod = Self.pod()
        var options = DeleteOptions()
        options.preconditionUID = "other"
        #expect(throws: KubeStatus(code: 409, reason: "Conflict",
                                   message: #"Operation cannot be fulfilled on Pod "p": the UID in the precondition (other) does not match the UID in record (u1). The object might have been deleted and then recreated"#,
                                   details: JSONValue(json: #"{"name":"p","kind":"Pod"}"#))) {
            _ = try DeletionRules.beforeDelete(&pod, BuiltinResources.pods, options: &options, now: Self.now)
        }
    }

    @Test func garbageCollectionFinalizersFollowThePropagation() {
        let cm = JSONValue(json: #"{"metadata":{"name":"c","finalizers":["example.com/keep"]}}"#)
        func finalizers(_ object: JSONValue, _ type: ResourceType = BuiltinResources.configMaps,
                        policy: String? = nil, orphan: Bool? = nil) -> [String]? {
            var options = DeleteOptions()
            options.propagationPolicy = policy
            options.orphanDependents = orphan
            return DeletionRules.garbageCollectionFinalizers(object, type, options)
        }
        #expect(finalizers(cm, policy: "Foreground") == ["example.com/keep", "foregroundDeletion"])
        #expect(finalizers(cm, policy: "Orphan") == ["example.com/keep", "orphan"])
        #expect(finalizers(cm, orphan: true) == ["example.com/keep", "orphan"])
        #expect(finalizers(cm, policy: "Background") == nil)
        #expect(finalizers(cm) == nil)
        // A request's policy replaces the marker an earlier one left.
        let orphaned = JSONValue(json: #"{"metadata":{"name":"c","finalizers":["orphan"]}}"#)
        #expect(finalizers(orphaned, policy: "Background") == [])
        #expect(finalizers(orphaned, policy: "Foreground") == ["foregroundDeletion"])
        #expect(finalizers(orphaned) == nil)
        // core/v1 ReplicationControllers orphan by default; Events are never finalized.
        let rc = JSONValue(json: #"{"metadata":{"name":"rc"}}"#)
        #expect(finalizers(rc, BuiltinResources.replicationControllers) == ["orphan"])
        #expect(finalizers(rc, BuiltinResources.replicationControllers, policy: "Background") == nil)
        #expect(finalizers(rc, BuiltinResources.events, policy: "Foreground") == nil)
        #expect(finalizers(rc, BuiltinResources.deployments) == nil)
    }

    @Test func markAsDeletingKeepsAnEarlierTimestamp() {
        var object = JSONValue(json: #"{"metadata":{"name":"d","generation":3}}"#)
        DeletionRules.markAsDeleting(&object, now: Self.now)
        #expect(object["metadata"]?["deletionTimestamp"]?.string == Self.at(0))
        #expect(object["metadata"]?["deletionGracePeriodSeconds"]?.int == 0)
        #expect(object["metadata"]?["generation"]?.int == 4)
        DeletionRules.markAsDeleting(&object, now: Self.now.addingTimeInterval(60))
        #expect(object["metadata"]?["deletionTimestamp"]?.string == Self.at(0))
        #expect(object["metadata"]?["generation"]?.int == 4)
    }

    @Test func updatesDeleteOnlyWhenNoGracePeriodRuns() {
        let held = JSONValue(json: "{\"metadata\":{\"name\":\"c\",\"finalizers\":[\"f\"],\"deletionTimestamp\":\"\(Self.at(0))\",\"deletionGracePeriodSeconds\":0}}")
        var released = held
        released["metadata"]?["finalizers"] = .array([])
        #expect(DeletionRules.shouldDeleteDuringUpdate(released, existing: held))
        #expect(!DeletionRules.shouldDeleteDuringUpdate(held, existing: held))
        // A terminating pod's status update while its grace period runs keeps it.
        let terminating = Self.pod(meta: "\"deletionTimestamp\":\"\(Self.at(30))\",\"deletionGracePeriodSeconds\":30")
        #expect(!DeletionRules.shouldDeleteDuringUpdate(terminating, existing: terminating))
        // An object nobody deleted stays.
        #expect(!DeletionRules.shouldDeleteDuringUpdate(Self.pod(), existing: Self.pod()))
    }
}
