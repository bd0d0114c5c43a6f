import Foundation
import Testing
@testable import KetchControllers
import KubeCore

@Suite("Worker node shape")
struct WorkerNodeTests {
    static let now = KubeTime.parse("2025-03-01T10:00:00Z")!

    private func node(capacity: WorkerNode.Capacity = .default) -> JSONValue {
        WorkerNode.build(name: "kind-worker", capacity: capacity, hostIP: "172.18.0.3", machine: SimulatedKubeletTests.machine, now: Self.now)
    }

    @Test func metadataIsAKubeadmWorkersPlusTheSimulatedMark() {
        let metadata = node()["metadata"]
        #expect(metadata?["labels"] == .object([
            "beta.kubernetes.io/arch": .string("amd64"), "beta.kubernetes.io/os": .string("linux"),
            "kubernetes.io/arch": .string("amd64"), "kubernetes.io/hostname": .string("kind-worker"), "kubernetes.io/os": .string("linux"),
        ]))
        #expect(metadata?["annotations"] == .object([
            "ketch.dev/simulated": .string("true"),
            "kubeadm.alpha.kubernetes.io/cri-socket": .string("unix:///var/run/containerd/containerd.sock"),
            "node.alpha.kubernetes.io/ttl": .string("0"),
            "volumes.kubernetes.io/controller-managed-attach-detach": .string("true"),
        ]))
        #expect(node()["spec"] == .object([:]))  // no taints: workers take any pod
        #expect(SimulatedKubeletScope.isSimulatedWorker(node()))
    }

    @Test func statusCarriesCapacityAllocatableAndTheKubeletsConditions() {
        let status = node(capacity: .init(cpu: "2", memory: "4Gi", pods: 50, ephemeralStorage: "20Gi"))["status"]
        #expect(status?["capacity"] == .object([
            "cpu": .string("2"), "memory": .string("4Gi"), "pods": .string("50"), "ephemeral-storage": .string("20Gi"),
            "hugepages-1Gi": .string("0"), "hugepages-2Mi": .string("0"),
        ]))
        #expect(status?["allocatable"]?["memory"]?.string == "3996Mi")
        #expect(status?["allocatable"]?["ephemeral-storage"]?.string == String(Int64(20) * 1024 * 1024 * 1024 / 10 * 9))
        let conditions = (status?["conditions"]?.array ?? []).map {
            [$0["type"], $0["status"], $0["reason"], $0["message"]].compactMap { $0?.string }.joined(separator: " | ")
        }
        #expect(conditions == [
            "MemoryPressure | False | KubeletHasSufficientMemory | kubelet has sufficient memory available",
            "DiskPressure | False | KubeletHasNoDiskPressure | kubelet has no disk pressure",
            "PIDPressure | False | KubeletHasSufficientPID | kubelet has sufficient PID available",
            "Ready | True | KubeletReady | kubelet is posting ready status",
        ])
        #expect(status?["addresses"] == .array([
            .object(["type": .string("InternalIP"), "address": .string("172.18.0.3")]),
            .object(["type": .string("Hostname"), "address": .string("kind-worker")]),
        ]))
        let info = status?["nodeInfo"]
        #expect(info?["kubeletVersion"]?.string == "v1.33.4" && info?["operatingSystem"]?.string == "linux")
        #expect(info?["machineID"]?.string?.count == 32 && info?["systemUUID"]?.string?.count == 36)
    }

    @Test func heartbeatRefreshesTimesAndKeepsTransitions() {
        let later = Self.now.addingTimeInterval(60)
        let beat = WorkerNode.heartbeat(node(), now: later)
        let ready = beat["status"]?["conditions"]?.array?.first { $0["type"]?.string == "Ready" }
        #expect(ready?["lastHeartbeatTime"]?.string == "2025-03-01T10:01:00Z")
        #expect(ready?["lastTransitionTime"]?.string == "2025-03-01T10:00:00Z")
        #expect(WorkerNode.conditionsAreKubelets(beat))
        #expect(WorkerNode.lastHeartbeat(beat) == later)
    }

    @Test func namesAndAddressesFollowKind() {
        #expect(WorkerNode.names(count: 3, prefix: "kind") == ["kind-worker", "kind-worker2", "kind-worker3"])
        #expect(WorkerNode.names(count: 0, prefix: "kind").isEmpty)
        #expect(WorkerNode.freeHostIPs(count: 2, taken: []) == ["172.18.0.2", "172.18.0.3"])
        #expect(WorkerNode.freeHostIPs(count: 2, taken: ["172.18.0.2", "172.18.0.4"]) == ["172.18.0.3", "172.18.0.5"])
    }

    @Test func capacityValidationNamesTheBadField() {
        #expect(WorkerNode.Capacity.default.invalidField == nil)
        #expect(WorkerNode.Capacity(memory: "lots").invalidField == "memory: lots")
        #expect(WorkerNode.Capacity(pods: 0).invalidField == "pods: 0")
        #expect(WorkerNode.binarySI(8 * 1024 * 1024 * 1024) == "8Gi" && WorkerNode.binarySI(1500) == "1500")
    }
}
