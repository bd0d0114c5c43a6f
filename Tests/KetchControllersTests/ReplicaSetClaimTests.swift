import Foundation
import Testing
@testable import KetchControllers
import KubeCore

@Suite("ReplicaSet adoption and release")
struct ReplicaSetClaimTests {
    typealias F = ReplicaSetFixtures
    let rs = F.replicaSet()

    @Test func ownedAndMatchingIsKept() {
        #expect(ControllerRefClaim.decide(F.pod("a"), controller: rs, matches: true) == .owned)
    }

    @Test func matchingOrphanIsAdopted() {
        #expect(ControllerRefClaim.decide(F.pod("a", owned: false), controller: rs, matches: true) == .adopt)
    }

    @Test func ownedButNoLongerMatchingIsReleased() {
        #expect(ControllerRefClaim.decide(F.pod("a", labels: ["app": "other"]), controller: rs, matches: false) == .release)
    }

    @Test func someoneElsesPodIsLeftAlone() {
        var pod = F.pod("a")
        pod[at: ["metadata", "ownerReferences"]] = .array([.object([
            "kind": .string("ReplicaSet"), "name": .string("other"), "uid": .string("other-uid"), "controller": .bool(true),
        ])])
        #expect(ControllerRefClaim.decide(pod, controller: rs, matches: true) == .ignore)
    }

    @Test func orphansBeingDeletedOrNotMatchingAreNotAdopted() {
        #expect(ControllerRefClaim.decide(F.pod("a", owned: false, deleting: true), controller: rs, matches: true) == .ignore)
        #expect(ControllerRefClaim.decide(F.pod("a", owned: false), controller: rs, matches: false) == .ignore)
    }

    @Test func aControllerBeingDeletedNeitherAdoptsNorReleases() {
        var deleting = rs
        deleting[at: ["metadata", "deletionTimestamp"]] = .string("2025-01-01T11:00:00Z")
        #expect(ControllerRefClaim.decide(F.pod("a", owned: false), controller: deleting, matches: true) == .ignore)
        #expect(ControllerRefClaim.decide(F.pod("a"), controller: deleting, matches: false) == .ignore)
    }

    @Test func adoptPatchAddsAControllerReference() {
        let patch = ControllerRefClaim.adoptPatch(F.pod("a", owned: false), controller: rs, controllerType: BuiltinResources.replicaSets)
        let ref = patch[path: ["metadata", "ownerReferences"]]?.array?.first
        #expect(ref?["kind"]?.string == "ReplicaSet")
        #expect(ref?["uid"]?.string == F.rsUID)
        #expect(ref?["controller"]?.bool == true)
        #expect(ref?["blockOwnerDeletion"]?.bool == true)
        #expect(patch[path: ["metadata", "uid"]]?.string == "uid-a")
    }

    @Test func releasePatchDeletesTheReferenceByUID() throws {
        let pod = F.pod("a")
        let patch = ControllerRefClaim.releasePatch(pod, controller: rs)
        let released = try StrategicMergePatch.apply(patch, to: pod)
        #expect(released[path: ["metadata", "ownerReferences"]]?.array?.isEmpty ?? true)
    }

    @Test func podFromTemplateCarriesLabelsNameAndOwner() {
        let pod = PodFromTemplate.pod(template: rs[path: ["spec", "template"]]!, owner: rs, ownerType: BuiltinResources.replicaSets)
        #expect(pod[path: ["metadata", "generateName"]]?.string == "web-abc-")
        #expect(pod[path: ["metadata", "labels", "tier"]]?.string == "front")
        #expect(pod[path: ["metadata", "ownerReferences"]]?.array?.first?["name"]?.string == "web-abc")
        #expect(pod[path: ["spec", "containers"]]?.array?.count == 1)
        #expect(pod[path: ["metadata", "name"]] == nil)
    }

    @Test func replicationControllerSelectsByLabelMap() {
        var rc = F.replicaSet()
        rc[at: ["spec", "selector"]] = .object(["app": .string("web")])
        let selector = ReplicaSetFlavor.replicationController.selector(of: rc)
        #expect(selector.matches(["app": "web"]))
        #expect(!selector.matches(["app": "db"]))
        rc[at: ["spec", "selector"]] = nil
        // Without a selector it selects its template's labels, as the apiserver defaults it.
        #expect(ReplicaSetFlavor.replicationController.selector(of: rc).matches(["app": "web", "tier": "front"]))
        #expect(!ReplicaSetFlavor.replicationController.selector(of: rc).matches(["app": "web"]))
    }
}
