import Foundation
import Testing
@testable import KetchControllers
import KubeCore

@Suite("Volume binder logic")
struct VolumeBinderLogicTests {
    typealias F = VolumeFixtures

    @Test func claimsAreProvisionedOrWaitAsTheirClassSays() {
        let simulated = ClaimBindingStep.provision(className: nil, storageClass: nil, provisioner: "ketch.dev/simulated", selectedNode: nil)
        #expect(ClaimBindingStep.decide(F.claim(), volumes: [], storageClasses: [], pods: []) == simulated)
        let classes = [F.storageClass("fast"), F.storageClass("slow", isDefault: true)]
        #expect(ClaimBindingStep.decide(F.claim(), volumes: [], storageClasses: classes, pods: []) == .assignDefaultClass("slow"))
        #expect(ClaimBindingStep.decide(F.claim(className: ""), volumes: [], storageClasses: classes, pods: [])
            == .wait(.normal("FailedBinding", "no persistent volumes available for this claim and no storage class is set")))
        #expect(ClaimBindingStep.decide(F.claim(className: "standard"), volumes: [], storageClasses: [], pods: [])
            == .provision(className: "standard", storageClass: nil, provisioner: "ketch.dev/simulated", selectedNode: nil))
        #expect(ClaimBindingStep.decide(F.claim(className: "gold"), volumes: [], storageClasses: classes, pods: [])
            == .wait(.warning("ProvisioningFailed", "storageclass.storage.k8s.io \"gold\" not found")))
        #expect(ClaimBindingStep.decide(F.claim(className: "fast"), volumes: [], storageClasses: classes, pods: [])
            == .provision(className: "fast", storageClass: classes[0], provisioner: "rancher.io/local-path", selectedNode: nil))

        let late = [F.storageClass("late", mode: "WaitForFirstConsumer")]
        #expect(ClaimBindingStep.decide(F.claim(className: "late"), volumes: [], storageClasses: late, pods: [])
            == .wait(.normal("WaitForFirstConsumer", "waiting for first consumer to be created before binding")))
        #expect(ClaimBindingStep.decide(F.claim(className: "late"), volumes: [], storageClasses: late,
                                        pods: [F.consumer(of: "data", node: "n2")])
            == .provision(className: "late", storageClass: late[0], provisioner: "rancher.io/local-path", selectedNode: "n2"))
    }

    @Test func preMadeVolumesMatchByClassModesSizeAndSelector() {
        let volumes = [F.volume("big", size: "10Gi"), F.volume("small", size: "2Gi"), F.volume("tiny", size: "500Mi"),
                       F.volume("rwx", size: "1Gi", modes: ["ReadWriteMany"]), F.volume("classy", size: "1Gi", className: "fast")]
        #expect(VolumeMatch.best(for: F.claim(), among: volumes).map { ObjectMetadata.name($0) } == "small")
        #expect(VolumeMatch.best(for: F.claim(className: "fast"), among: volumes).map { ObjectMetadata.name($0) } == "classy")
        #expect(VolumeMatch.best(for: F.claim(request: "20Gi"), among: volumes) == nil)
        let preBound = volumes + [F.volume("mine", size: "50Gi", claimRef: F.ref(uid: nil), phase: "Available")]
        #expect(VolumeMatch.best(for: F.claim(), among: preBound).map { ObjectMetadata.name($0) } == "mine")
        let taken = [F.volume("other", claimRef: F.ref("other", uid: "x"), phase: "Bound")]
        #expect(VolumeMatch.best(for: F.claim(), among: taken) == nil)
        var selective = F.claim()
        selective["spec"]?["selector"] = .object(["matchLabels": .object(["tier": .string("gold")])])
        #expect(VolumeMatch.best(for: selective, among: volumes + [F.volume("gold", size: "9Gi", labels: ["tier": "gold"])])
            .map { ObjectMetadata.name($0) } == "gold")
    }

    @Test func volumesAreAvailableBoundOrReleased() {
        #expect(VolumeSyncStep.decide(F.volume("v", phase: "Pending"), claim: nil) == .setPhase("Available"))
        #expect(VolumeSyncStep.decide(F.volume("v"), claim: nil) == .none)
        let bound = F.volume("v", claimRef: F.ref(), phase: "Available")
        #expect(VolumeSyncStep.decide(bound, claim: F.claim(volumeName: "v")) == .setPhase("Bound"))
        #expect(VolumeSyncStep.decide(bound, claim: F.claim()) == .none)
        #expect(VolumeSyncStep.decide(F.volume("v", claimRef: F.ref(), phase: "Bound", reclaim: "Delete"), claim: nil) == .release(delete: true))
        #expect(VolumeSyncStep.decide(F.volume("v", claimRef: F.ref(), phase: "Bound"), claim: nil) == .release(delete: false))
        #expect(VolumeSyncStep.decide(F.volume("v", claimRef: F.ref(), phase: "Released"), claim: nil) == .none)
        var chosen = F.volume("v", claimRef: F.ref(), phase: "Bound")
        chosen["metadata"]?["annotations"] = .object([VolumeWellKnown.boundByController: .string("yes")])
        #expect(VolumeSyncStep.decide(chosen, claim: F.claim(volumeName: "elsewhere")) == .unbind)
    }

    @Test func provisionedVolumesAndBindingsLookAsUpstreamMakesThem() {
        let claim = F.claim(className: "standard", request: "3Gi")
        let volume = ProvisionedVolume.volume(for: claim, className: "standard", storageClass: nil,
                                              provisioner: "ketch.dev/simulated", selectedNode: "n1")
        #expect(ObjectMetadata.name(volume) == "pvc-uid-data")
        #expect(ObjectMetadata.annotations(volume) == ["pv.kubernetes.io/provisioned-by": "ketch.dev/simulated"])
        #expect(volume[path: ["spec", "capacity", "storage"]]?.string == "3Gi")
        #expect(volume[path: ["spec", "persistentVolumeReclaimPolicy"]]?.string == "Delete")
        #expect(volume[path: ["spec", "storageClassName"]]?.string == "standard")
        #expect(volume[path: ["spec", "claimRef", "uid"]]?.string == "uid-data")
        #expect(volume[path: ["spec", "hostPath", "path"]]?.string == "/tmp/ketch-pv/pvc-uid-data_default_data")
        #expect(volume[path: ["spec", "nodeAffinity", "required", "nodeSelectorTerms"]]?.array?.count == 1)

        let boundClaim = VolumeBinding.claim(claim, boundTo: volume)
        #expect(boundClaim[path: ["spec", "volumeName"]]?.string == "pvc-uid-data")
        #expect(ObjectMetadata.annotations(boundClaim) == ["pv.kubernetes.io/bind-completed": "yes",
                                                           "pv.kubernetes.io/bound-by-controller": "yes"])
        let status = VolumeBinding.boundStatus(boundClaim, volume: volume)
        #expect(status == .object(["phase": .string("Bound"), "accessModes": .array([.string("ReadWriteOnce")]),
                                   "capacity": .object(["storage": .string("3Gi")])]))
        let chosen = VolumeBinding.volume(F.volume("pre"), boundTo: claim)
        #expect(ObjectMetadata.annotations(chosen)[VolumeWellKnown.boundByController] == "yes")
        #expect(chosen[path: ["spec", "claimRef", "name"]]?.string == "data")
    }
}
