import Foundation
import Testing
@testable import KetchControllers
import KubeCore

@Suite("Deployment rollouts")
struct DeploymentRolloutTests {
    typealias F = DeploymentFixtures

    static func hashName(_ image: String = "nginx:1.27", collisionCount: Int? = nil) -> String {
        "web-" + PodTemplateHash.compute(F.template(image: image), collisionCount: collisionCount)
    }

    @Test func aNewDeploymentCreatesItsReplicaSetAtFullSize() throws {
        var world = DeploymentWorld(F.deployment(replicas: 3))
        let plan = world.sync()
        let name = Self.hashName()
        guard case .createReplicaSet(let rs, _) = plan.actions.first else {
            Issue.record("expected a ReplicaSet create first, got \(plan.actions)")
            return
        }
        let hash = String(name.dropFirst(4))
        #expect(ObjectMetadata.name(rs) == name)
        #expect(DeploymentReplicaSet.replicas(rs) == 3)
        #expect(rs[path: ["metadata", "labels", "pod-template-hash"]]?.string == hash)
        #expect(rs[path: ["spec", "selector", "matchLabels", "pod-template-hash"]]?.string == hash)
        #expect(rs[path: ["spec", "template", "metadata", "labels", "pod-template-hash"]]?.string == hash)
        #expect(rs[path: ["spec", "template", "metadata", "labels", "app"]]?.string == "web")
        #expect(ObjectMetadata.annotations(rs) == [
            "deployment.kubernetes.io/revision": "1",
            "deployment.kubernetes.io/desired-replicas": "3",
            "deployment.kubernetes.io/max-replicas": "4",
        ])
        let owner = try #require(OwnerReferences.controllerRef(of: rs))
        #expect(owner.kind == "Deployment" && owner.name == "web" && owner.uid == F.uid && owner.blockOwnerDeletion)
        #expect(plan.events == ["ScalingReplicaSet: Scaled up replica set \(name) to 3"])
        #expect(ObjectMetadata.annotations(world.deployment)["deployment.kubernetes.io/revision"] == "1")
        let progressing = world.status.conditions.condition("Progressing")
        #expect(progressing?.reason == "NewReplicaSetCreated")
        #expect(progressing?.message == "Created new replica set \"\(name)\"")
    }

    @Test func aCompletedRolloutReportsWhatRolloutStatusWaitsFor() {
        var world = DeploymentWorld(F.deployment(replicas: 3))
        world.converge()
        let status = world.status
        #expect(status.observedGeneration == 1)
        #expect(status.replicas == 3 && status.updatedReplicas == 3 && status.readyReplicas == 3 && status.availableReplicas == 3)
        #expect(status.unavailableReplicas == 0)
        let available = status.conditions.condition("Available")
        #expect(available?.status == "True")
        #expect(available?.reason == "MinimumReplicasAvailable")
        #expect(available?.message == "Deployment has minimum availability.")
        let progressing = status.conditions.condition("Progressing")
        #expect(progressing?.status == "True")
        #expect(progressing?.reason == "NewReplicaSetAvailable")
        #expect(progressing?.message == "ReplicaSet \"\(Self.hashName())\" has successfully progressed.")
        #expect(world.sync().actions.isEmpty)
    }

    @Test func rollingUpdateStaysWithinSurgeAndUnavailability() {
        var world = DeploymentWorld(F.deployment(replicas: 4, maxSurge: .integer(1), maxUnavailable: .integer(1)))
        world.converge()
        world.events = []
        world.edit { $0["template"] = F.template(image: "nginx:1.28") }
        let old = Self.hashName(), new = Self.hashName("nginx:1.28")
        world.converge(invariant: { world in
            #expect(world.totalReplicas <= 5)
            let available = world.replicaSets.map { min(DeploymentReplicaSet.replicas($0), DeploymentReplicaSet.status($0, "availableReplicas")) }
            #expect(available.reduce(0, +) >= 3)
        })
        #expect(world.events == [
            "ScalingReplicaSet: Scaled up replica set \(new) to 1",
            "ScalingReplicaSet: Scaled down replica set \(old) from 4 to 3",
            "ScalingReplicaSet: Scaled up replica set \(new) from 1 to 2",
            "ScalingReplicaSet: Scaled down replica set \(old) from 3 to 1",
            "ScalingReplicaSet: Scaled up replica set \(new) from 2 to 4",
            "ScalingReplicaSet: Scaled down replica set \(old) from 1 to 0",
        ])
        #expect(F.sizes(world) == [old: 0, new: 4])
        #expect(ObjectMetadata.annotations(world.deployment)["deployment.kubernetes.io/revision"] == "2")
        #expect(world.status.updatedReplicas == 4 && world.status.replicas == 4 && world.status.observedGeneration == 2)
    }

    @Test func percentagesRoundSurgeUpAndUnavailabilityDown() {
        var world = DeploymentWorld(F.deployment(replicas: 10))
        world.converge()
        world.edit { $0["template"] = F.template(image: "nginx:1.28") }
        world.sync()
        let new = Self.hashName("nginx:1.28")
        // 25% of 10: surge 3 (up), unavailable 2 (down): new 3, old down to 10 + 3 - 2 - 3 = 8.
        #expect(F.sizes(world) == [Self.hashName(): 8, new: 3])
        #expect(DeploymentReplicaSet.annotation(world.replicaSet(running: "nginx:1.28")!, "deployment.kubernetes.io/max-replicas") == "13")
    }

    @Test func recreateStopsOldPodsBeforeStartingNewOnes() {
        var world = DeploymentWorld(F.deployment(replicas: 3, strategy: "Recreate"))
        world.converge()
        world.events = []
        world.edit { $0["template"] = F.template(image: "nginx:1.28") }
        world.sync()
        #expect(world.replicaSet(running: "nginx:1.28") == nil)
        #expect(F.sizes(world) == [Self.hashName(): 0])
        // The old ReplicaSet's status still counts 3 pods: nothing new yet.
        world.sync()
        #expect(world.replicaSet(running: "nginx:1.28") == nil)
        world.settle()
        world.converge()
        #expect(world.events == [
            "ScalingReplicaSet: Scaled down replica set \(Self.hashName()) from 3 to 0",
            "ScalingReplicaSet: Scaled up replica set \(Self.hashName("nginx:1.28")) to 3",
        ])
        #expect(world.status.updatedReplicas == 3)
    }

    @Test func recreateWaitsForOldPodsStillRunning() {
        var world = DeploymentWorld(F.deployment(replicas: 1, strategy: "Recreate"))
        world.converge()
        world.edit { $0["template"] = F.template(image: "nginx:1.28") }
        world.sync()
        world.settle()
        let oldUID = ObjectMetadata.uid(world.replicaSets[0])
        let straggler: JSONValue = .object([
            "metadata": .object(["name": .string("web-old-x"), "ownerReferences": .array([.object([
                "kind": .string("ReplicaSet"), "name": .string("old"), "uid": .string(oldUID), "controller": .bool(true),
            ])])]),
            "status": .object(["phase": .string("Running")]),
        ])
        let waiting = DeploymentSync.plan(deployment: world.deployment, replicaSets: world.replicaSets, pods: [straggler], now: world.now)
        #expect(!waiting.actions.contains { if case .createReplicaSet = $0 { true } else { false } })
        var finished = straggler
        finished[at: ["status", "phase"]] = .string("Succeeded")
        let going = DeploymentSync.plan(deployment: world.deployment, replicaSets: world.replicaSets, pods: [finished], now: world.now)
        #expect(going.actions.contains { if case .createReplicaSet = $0 { true } else { false } })
    }

    @Test func rolloutUndoGivesTheOldReplicaSetTheNextRevision() throws {
        var world = DeploymentWorld(F.deployment(replicas: 3))
        world.converge()
        world.edit { $0["template"] = F.template(image: "nginx:1.28") }
        world.converge()
        // kubectl rollout undo: the Deployment gets revision 1's template back.
        world.edit { $0["template"] = F.template(image: "nginx:1.27") }
        world.converge()
        let back = try #require(world.replicaSet(running: "nginx:1.27"))
        #expect(ObjectMetadata.name(back) == Self.hashName())
        #expect(DeploymentReplicaSet.annotation(back, "deployment.kubernetes.io/revision") == "3")
        #expect(DeploymentReplicaSet.annotation(back, "deployment.kubernetes.io/revision-history") == "1")
        #expect(ObjectMetadata.annotations(world.deployment)["deployment.kubernetes.io/revision"] == "3")
        #expect(F.sizes(world) == [Self.hashName(): 3, Self.hashName("nginx:1.28"): 0])
        #expect(world.replicaSets.count == 2)
    }

    @Test func rolloutRestartMakesANewReplicaSet() {
        var world = DeploymentWorld(F.deployment(replicas: 2))
        world.converge()
        world.edit { $0["template"] = F.template(annotations: ["kubectl.kubernetes.io/restartedAt": "2025-01-01T12:30:00Z"]) }
        world.converge()
        #expect(world.replicaSets.count == 2)
        let restarted = world.replicaSets.first { ObjectMetadata.name($0) != Self.hashName() }
        #expect(restarted.map(DeploymentReplicaSet.replicas) == 2)
        #expect(restarted?[path: ["spec", "template", "metadata", "annotations", "kubectl.kubernetes.io/restartedAt"]] != nil)
    }

    @Test func oldReplicaSetsBeyondTheHistoryLimitAreDeleted() {
        var world = DeploymentWorld(F.deployment(replicas: 1, revisionHistoryLimit: 1))
        world.converge()
        for image in ["nginx:1.28", "nginx:1.29", "nginx:1.30"] {
            world.edit { $0["template"] = F.template(image: image) }
            world.converge()
        }
        #expect(Set(world.replicaSets.map(ObjectMetadata.name)) == [Self.hashName("nginx:1.29"), Self.hashName("nginx:1.30")])
    }

    @Test func scalingAMidRolloutDeploymentIsProportional() {
        var world = DeploymentWorld(F.deployment(replicas: 10, maxSurge: .integer(3), maxUnavailable: .integer(2)))
        world.converge()
        world.edit { $0["template"] = F.template(image: "nginx:1.28") }
        // The new pods never become available, so the rollout stalls with both sets active.
        world.converge(available: false)
        let old = Self.hashName(), new = Self.hashName("nginx:1.28")
        #expect(F.sizes(world) == [old: 8, new: 5])
        world.events = []
        world.edit { $0["replicas"] = .integer(20) }
        world.sync()
        // 23 allowed, 13 running: old takes round(8·23/13) − 8 = 6, new round(5·23/13) − 5 = 4.
        #expect(F.sizes(world) == [old: 14, new: 9])
        #expect(world.events == [
            "ScalingReplicaSet: Scaled up replica set \(old) from 8 to 14",
            "ScalingReplicaSet: Scaled up replica set \(new) from 5 to 9",
        ])
    }

    @Test func pausedDeploymentsScaleButDoNotRollOut() {
        var world = DeploymentWorld(F.deployment(replicas: 3))
        world.converge()
        world.edit {
            $0["paused"] = .bool(true)
            $0["template"] = F.template(image: "nginx:1.28")
        }
        world.converge()
        #expect(world.replicaSet(running: "nginx:1.28") == nil)
        let paused = world.status.conditions.condition("Progressing")
        #expect(paused?.status == "Unknown" && paused?.reason == "DeploymentPaused" && paused?.message == "Deployment is paused")
        world.edit { $0["replicas"] = .integer(5) }
        world.converge()
        #expect(F.sizes(world) == [Self.hashName(): 5])
        world.edit { $0["paused"] = nil }
        world.sync()
        #expect(world.status.conditions.condition("Progressing")?.reason != "DeploymentPaused")
        world.converge()
        #expect(F.sizes(world) == [Self.hashName(): 0, Self.hashName("nginx:1.28"): 5])
    }

    @Test func aStuckRolloutMissesItsProgressDeadline() {
        var world = DeploymentWorld(F.deployment(replicas: 2, progressDeadlineSeconds: 60))
        world.converge(available: false)
        let waiting = world.sync()
        #expect(waiting.requeueAfter != nil)
        #expect(world.status.conditions.condition("Available")?.reason == "MinimumReplicasUnavailable")
        world.now = world.now.addingTimeInterval(120)
        world.sync()
        let progressing = world.status.conditions.condition("Progressing")
        #expect(progressing?.status == "False")
        #expect(progressing?.reason == "ProgressDeadlineExceeded")
        #expect(progressing?.message == "ReplicaSet \"\(Self.hashName())\" has timed out progressing.")
    }

    @Test func noDeadlineMeansNoProgressingCondition() {
        var world = DeploymentWorld(F.deployment(replicas: 1, progressDeadlineSeconds: Int(Int32.max)))
        world.converge()
        #expect(world.status.conditions.condition("Progressing") == nil)
        #expect(world.status.conditions.condition("Available")?.status == "True")
    }

    @Test func replicaSetFailuresSurfaceInTheDeployment() {
        var world = DeploymentWorld(F.deployment(replicas: 2))
        world.sync()
        world.replicaSets[0]["status"] = .object(["replicas": .integer(0), "conditions": .array([.object([
            "type": .string("ReplicaFailure"), "status": .string("True"), "reason": .string("FailedCreate"),
            "message": .string("pods \"web-\" is forbidden: exceeded quota"), "lastTransitionTime": .string("2025-01-01T12:00:00Z"),
        ])])])
        world.sync()
        let failure = world.status.conditions.condition("ReplicaFailure")
        #expect(failure?.reason == "FailedCreate")
        #expect(failure?.lastUpdateTime == "2025-01-01T12:00:00Z")
    }

    @Test func aSelectorOfEverythingIsRefused() {
        var deployment = F.deployment()
        deployment[at: ["spec", "selector"]] = .object([:])
        let plan = DeploymentSync.plan(deployment: deployment, replicaSets: [], pods: [], now: F.start)
        #expect(plan.events == ["SelectingAll: This deployment is selecting all pods. A non-empty selector is required."])
        #expect(plan.actions.contains { if case .updateStatus(let s, _) = $0 { s.observedGeneration == 1 } else { false } })
    }

    @Test func aCollisionCountNamesTheNextReplicaSetDifferently() {
        var deployment = F.deployment()
        deployment["status"] = .object(["collisionCount": .integer(1)])
        let plan = DeploymentSync.plan(deployment: deployment, replicaSets: [], pods: [], now: F.start)
        guard case .createReplicaSet(let rs, _) = plan.actions.first else {
            Issue.record("expected a create")
            return
        }
        #expect(ObjectMetadata.name(rs) == Self.hashName(collisionCount: 1))
        #expect(ObjectMetadata.name(rs) != Self.hashName())
    }

    @Test func aRefusedCreateIsReportedInProgressing() {
        let (status, message) = DeploymentSync.createFailed(DeploymentStatus(), replicaSet: "web-abc", message: "quota exceeded",
                                                            deployment: F.deployment(), now: F.start)
        #expect(message == "Failed to create new replica set \"web-abc\": quota exceeded")
        let progressing = status?.conditions.condition("Progressing")
        #expect(progressing?.status == "False" && progressing?.reason == "ReplicaSetCreateError")
    }

    @Test func aDeletedDeploymentOnlyUpdatesItsStatus() {
        var world = DeploymentWorld(F.deployment(replicas: 2))
        world.converge()
        world.deployment[at: ["metadata", "deletionTimestamp"]] = .string("2025-01-01T12:10:00Z")
        world.edit { $0["replicas"] = .integer(5) }
        let plan = world.sync()
        #expect(plan.actions.allSatisfy { if case .updateStatus = $0 { true } else { false } })
        #expect(F.sizes(world) == [Self.hashName(): 2])
    }

    @Test func theDeprecatedRollbackAnnotationRestoresATemplate() {
        var world = DeploymentWorld(F.deployment(replicas: 1))
        world.converge()
        world.edit { $0["template"] = F.template(image: "nginx:1.28") }
        world.converge()
        world.deployment[at: ["metadata", "annotations", "deprecated.deployment.rollback.to"]] = .string("0")
        world.sync()
        #expect(world.events.last == "DeploymentRollback: Rolled back deployment \"web\" to revision 1")
        #expect(world.deployment[path: ["spec", "template", "spec", "containers"]]?.array?.first?["image"]?.string == "nginx:1.27")
        #expect(ObjectMetadata.annotations(world.deployment)["deprecated.deployment.rollback.to"] == nil)
    }
}
