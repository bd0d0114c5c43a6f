import Foundation
import Testing
@testable import KetchControllers
import KubeCore

@Suite("StatefulSet logic")
struct StatefulSetLogicTests {
    typealias F = StatefulSetFixtures

    @Test func podsHaveStableNamesLabelsHostnamesAndClaims() {
        let pod = StatefulPodIdentity.newPod(F.set(), ordinal: 2, revision: "web-abc")
        #expect(ObjectMetadata.name(pod) == "web-2")
        #expect(pod[path: ["metadata", "generateName"]]?.string == "web-")
        #expect(ObjectMetadata.labels(pod) == ["app": "web", "statefulset.kubernetes.io/pod-name": "web-2",
                                               "apps.kubernetes.io/pod-index": "2", "controller-revision-hash": "web-abc"])
        #expect(pod[path: ["spec", "hostname"]]?.string == "web-2" && pod[path: ["spec", "subdomain"]]?.string == "nginx")
        #expect(pod[path: ["spec", "volumes"]] == .array([.object([
            "name": .string("www"), "persistentVolumeClaim": .object(["claimName": .string("www-web-2")]),
        ])]))
        #expect(OwnerReferences.controllerRef(of: pod)?.uid == F.uid)
        let claim = StatefulPodIdentity.claims(StatefulSetSpec(F.set()), ordinal: 2)[0].claim
        #expect(ObjectMetadata.name(claim) == "www-web-2" && ObjectMetadata.labels(claim) == ["app": "web"])
        #expect(claim[path: ["spec", "resources", "requests", "storage"]]?.string == "1Gi")

        #expect(StatefulPodIdentity.parentAndOrdinal("my-db-10")! == ("my-db", 10))
        #expect(StatefulPodIdentity.parentAndOrdinal("web") == nil)
        #expect(StatefulPodIdentity.parentAndOrdinal("web-99999999999") == nil)
        #expect(StatefulPodIdentity.identityMatches(pod, set: StatefulSetSpec(F.set())))
        var renamed = pod
        renamed["metadata"]?["labels"]?["statefulset.kubernetes.io/pod-name"] = nil
        #expect(!StatefulPodIdentity.identityMatches(renamed, set: StatefulSetSpec(F.set())))
    }

    @Test func orderedReadyCreatesOnePodAtATimeInOrdinalOrder() {
        let r = F.revision()
        let name = ObjectMetadata.name(r)
        #expect(F.describe(F.plan(F.set(), pods: [], current: r, update: r)) == ["create web-0"])
        let starting = [F.pod(0, revision: name, phase: "Pending", ready: false)]
        // web-0 has its claim and is not ready yet: nothing more happens.
        #expect(F.describe(F.plan(F.set(), pods: starting, current: r, update: r, claims: [F.claim(0)])).isEmpty)
        // A Pending pod whose claim is missing gets it made.
        #expect(F.describe(F.plan(F.set(), pods: starting, current: r, update: r)) == ["claims web-0"])
        let oneReady = [F.pod(0, revision: name)]
        #expect(F.describe(F.plan(F.set(), pods: oneReady, current: r, update: r, claims: [F.claim(0)])) == ["create web-1"])
        let parallel = F.set(parallel: true)
        let pr = F.revision(parallel)
        #expect(F.describe(F.plan(parallel, pods: [], current: pr, update: pr)) == ["create web-0", "create web-1", "create web-2"])
    }

    @Test func failedPodsAreReplacedAndScaleDownGoesFromTheTopOneAtATime() {
        let r = F.revision()
        let name = ObjectMetadata.name(r)
        let failed = [F.pod(0, revision: name, phase: "Failed", ready: false), F.pod(1, revision: name)]
        #expect(F.describe(F.plan(F.set(replicas: 2), pods: failed, current: r, update: r)) == ["delete web-0"])

        let five = (0..<5).map { F.pod($0, revision: name) }
        let claims = (0..<5).map { F.claim($0) }
        #expect(F.describe(F.plan(F.set(replicas: 2), pods: five, current: r, update: r, claims: claims)) == ["delete web-4"])
        let parallel = F.set(replicas: 2, parallel: true)
        #expect(F.describe(F.plan(parallel, pods: five, current: r, update: r, claims: claims)).sorted()
            == ["delete web-2", "delete web-3", "delete web-4"])
        // web-4 is still terminating: an ordered scale-down waits for it.
        let terminating = (0..<4).map { F.pod($0, revision: name) } + [F.pod(4, revision: name, deleting: true)]
        #expect(F.describe(F.plan(F.set(replicas: 2), pods: terminating, current: r, update: r, claims: claims)).isEmpty)
    }

    @Test func rollingUpdateReplacesTheHighestOrdinalAboveThePartitionFirst() {
        let old = F.revision()
        let newSet = F.set(image: "nginx:2", generation: 2)
        let new = F.revision(newSet, number: 2)
        let pods = (0..<3).map { F.pod($0, revision: ObjectMetadata.name(old)) }
        let claims = (0..<3).map { F.claim($0) }
        let plan = F.plan(newSet, pods: pods, current: old, update: new, claims: claims)
        #expect(F.describe(plan) == ["delete web-2"])
        #expect(plan.status.currentReplicas == 2 && plan.status.updatedReplicas == 0)
        #expect(plan.status.updateRevision == ObjectMetadata.name(new) && plan.status.observedGeneration == 2)

        let partitioned = F.set(image: "nginx:2", partition: 2, generation: 2)
        let updated = [F.pod(0, revision: ObjectMetadata.name(old)), F.pod(1, revision: ObjectMetadata.name(old)),
                       F.pod(2, revision: ObjectMetadata.name(new))]
        #expect(F.describe(F.plan(partitioned, pods: updated, current: old, update: new, claims: claims)).isEmpty)
        // Ordinals below the partition are made again at the old revision.
        let missing = F.plan(partitioned, pods: Array(updated.dropFirst()), current: old, update: new, claims: claims)
        #expect(missing.actions.map { StatefulPodIdentity.revision(of: $0.pod) } == [ObjectMetadata.name(old)])
        #expect(F.describe(F.plan(F.set(image: "nginx:2", onDelete: true), pods: pods, current: old, update: new, claims: claims)).isEmpty)
    }

    @Test func statusCompletesTheRollingUpdateOnceAllReplicasAreUpdatedAndReady() {
        let r = F.revision()
        let name = ObjectMetadata.name(r)
        var plan = F.plan(F.set(), pods: (0..<3).map { F.pod($0, revision: name) }, current: r, update: r,
                          claims: (0..<3).map { F.claim($0) })
        plan.status.completeRollingUpdate(StatefulSetSpec(F.set()))
        #expect(plan.status.replicas == 3 && plan.status.readyReplicas == 3 && plan.status.availableReplicas == 3)
        #expect(plan.status.currentReplicas == 3 && plan.status.updatedReplicas == 3 && plan.status.currentRevision == name)
        let json = plan.status.json(over: F.set())
        #expect(json == .object([
            "observedGeneration": .integer(1), "replicas": .integer(3), "readyReplicas": .integer(3),
            "currentReplicas": .integer(3), "updatedReplicas": .integer(3), "availableReplicas": .integer(3),
            "collisionCount": .integer(0), "currentRevision": .string(name), "updateRevision": .string(name),
        ]))
        #expect(plan.status.differs(from: F.set()))
        #expect(!plan.status.differs(from: F.set(status: json.object)))
    }

    @Test func revisionsAreReusedRolledBackOrCreated() {
        let first = F.revision(number: 1)
        let second = F.revision(F.set(image: "nginx:2"), number: 2)
        #expect(ObjectMetadata.name(first).hasPrefix("web-"))
        #expect(ObjectMetadata.labels(first)[ControllerHistory.hashLabel] != nil)
        #expect(StatefulSetRevisions.updateStep(F.set(image: "nginx:2"), revisions: [first, second], collisionCount: 0) == .existing(second))
        #expect(StatefulSetRevisions.updateStep(F.set(), revisions: [first, second], collisionCount: 0) == .renumber(first, to: 3))
        guard case .create(let made) = StatefulSetRevisions.updateStep(F.set(image: "nginx:3"), revisions: [first, second], collisionCount: 0) else {
            Issue.record("expected a new revision")
            return
        }
        #expect(ControllerHistory.number(made) == 3)
        #expect(ControllerHistory.apply(second, to: F.set())[path: ["spec", "template", "spec", "containers"]]?.array?.first?["image"]?.string == "nginx:2")

        var limited = F.set()
        limited["spec"]?["revisionHistoryLimit"] = .integer(0)
        let third = F.revision(F.set(image: "nginx:3"), number: 3)
        let pods = [F.pod(0, revision: ObjectMetadata.name(second))]
        #expect(StatefulSetRevisions.toTruncate(limited, pods: pods, revisions: [first, second, third], current: third, update: third)
            .map(ControllerHistory.number) == [1])
    }

    @Test func claimOwnerReferencesFollowTheRetentionPolicy() {
        let setRef = OwnerReferences.controller(for: F.set(), type: BuiltinResources.statefulSets)
        let live = F.pod(1, revision: "r")
        let scaledAway = F.pod(5, revision: "r")
        func refs(_ owner: JSONValue, _ pod: JSONValue) -> [String] {
            StatefulClaimRetention.ownerReferences(F.claim(StatefulPodIdentity.ordinal(of: pod)), set: owner, pod: pod)
                .compactMap { $0["kind"]?.string }
        }
        #expect(refs(F.set(), live).isEmpty)
        #expect(refs(F.set(whenDeleted: "Delete"), live) == ["StatefulSet"])
        #expect(refs(F.set(whenScaled: "Delete"), live).isEmpty)
        #expect(refs(F.set(whenScaled: "Delete"), scaledAway) == ["Pod"])
        #expect(refs(F.set(whenScaled: "Delete", whenDeleted: "Delete"), live) == ["StatefulSet"])
        #expect(refs(F.set(whenScaled: "Delete", whenDeleted: "Delete"), scaledAway) == ["Pod"])
        #expect(StatefulClaimRetention.isUpToDate(F.claim(1, owners: [setRef]), set: F.set(whenDeleted: "Delete"), pod: live))
        #expect(!StatefulClaimRetention.isUpToDate(F.claim(1), set: F.set(whenDeleted: "Delete"), pod: live))
        #expect(!StatefulClaimRetention.isUpToDate(F.claim(1, owners: [setRef]), set: F.set(), pod: live))
        // Another controller's claim is left alone.
        let foreign: JSONValue = .object(["apiVersion": .string("v1"), "kind": .string("ConfigMap"), "name": .string("x"),
                                          "uid": .string("other"), "controller": .bool(true)])
        #expect(StatefulClaimRetention.isUpToDate(F.claim(1, owners: [foreign]), set: F.set(whenDeleted: "Delete"), pod: live))
        // With whenScaled: Delete, a claim still owned by an earlier pod of the name blocks the new pod.
        var earlier = setRef
        earlier["kind"] = .string("Pod"); earlier["apiVersion"] = .string("v1")
        earlier["name"] = .string("web-1"); earlier["uid"] = .string("gone")
        let placeholder = StatefulPodIdentity.newPod(F.set(whenScaled: "Delete"), ordinal: 1, revision: "r")
        #expect(StatefulClaimRetention.isStale(F.claim(1, owners: [earlier]), set: F.set(whenScaled: "Delete"), pod: placeholder))
        #expect(!StatefulClaimRetention.isStale(F.claim(1, owners: [earlier]), set: F.set(), pod: placeholder))
    }
}
