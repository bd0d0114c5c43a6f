import Foundation
import Testing
@testable import KetchControllers
import KubeCore

@Suite("Simulated kubelet pod lifecycle")
struct KubeletLifecycleTests {
    static let start = KubeTime.parse("2025-03-01T10:00:00Z")!
    let node = SimulatedNode(name: "n1", hostIP: "172.18.0.2")

    /// A pod bound to n1 with containers `nginx` (and more), options as spec members.
    static func pod(containers: [String] = ["nginx"], image: String = "nginx", restartPolicy: String? = nil,
                    annotations: [String: String] = [:], jobOwned: Bool = false, spec extra: [String: JSONValue] = [:]) -> JSONValue {
        var spec: [String: JSONValue] = [
            "nodeName": .string("n1"),
            "containers": .array(containers.map { .object(["name": .string($0), "image": .string(image)]) }),
        ]
        if let restartPolicy { spec["restartPolicy"] = .string(restartPolicy) }
        for (key, value) in extra { spec[key] = value }
        var metadata: [String: JSONValue] = ["name": .string("p"), "namespace": .string("default"), "uid": .string("uid-p")]
        if !annotations.isEmpty { metadata["annotations"] = .object(annotations.mapValues(JSONValue.string)) }
        if jobOwned {
            metadata["ownerReferences"] = .array([.object(["apiVersion": .string("batch/v1"), "kind": .string("Job"),
                                                           "name": .string("j"), "uid": .string("uid-j"), "controller": .bool(true)])])
        }
        return .object(["apiVersion": .string("v1"), "kind": .string("Pod"), "metadata": .object(metadata), "spec": .object(spec),
                        "status": .object(["phase": .string("Pending"), "qosClass": .string("BestEffort")])])
    }

    /// Runs one step at `seconds` after the start and applies its status to `pod`.
    @discardableResult
    private func advance(_ pod: inout JSONValue, at seconds: Double, images: Set<String> = []) -> KubeletStep {
        let step = SimulatedPodLifecycle.step(pod, node: node, podIP: "10.244.1.2", now: Self.start.addingTimeInterval(seconds),
                                              imagesOnNode: images)
        if let status = step.status { pod["status"] = status }
        return step
    }

    private func conditions(_ pod: JSONValue) -> [String] {
        (pod["status"]?["conditions"]?.array ?? []).map { condition in
            [condition["type"], condition["status"], condition["reason"], condition["message"]].compactMap { $0?.string }.joined(separator: " ")
        }
    }

    private func container(_ pod: JSONValue, _ index: Int = 0) -> JSONValue { pod["status"]?["containerStatuses"]?.array?[index] ?? .null }

    @Test func stageOneIsContainerCreatingWithTheSandboxUp() {
        var pod = Self.pod()
        let step = advance(&pod, at: 0)
        #expect(step.events.isEmpty && step.requeueAfter == .zero && !step.finished)
        let status = pod["status"]!
        #expect(status["phase"]?.string == "Pending")
        #expect(conditions(pod) == [
            "PodReadyToStartContainers True", "Initialized True",
            "Ready False ContainersNotReady containers with unready status: [nginx]",
            "ContainersReady False ContainersNotReady containers with unready status: [nginx]", "PodScheduled True",
        ])
        #expect(container(pod) == .object([
            "name": .string("nginx"), "image": .string("nginx"), "imageID": .string(""), "lastState": .object([:]),
            "ready": .bool(false), "restartCount": .integer(0), "started": .bool(false),
            "state": .object(["waiting": .object(["reason": .string("ContainerCreating")])]),
        ]))
        #expect(status["hostIP"]?.string == "172.18.0.2" && status["hostIPs"] == .array([.object(["ip": .string("172.18.0.2")])]))
        #expect(status["podIP"]?.string == "10.244.1.2" && status["podIPs"] == .array([.object(["ip": .string("10.244.1.2")])]))
        #expect(status["startTime"]?.string == "2025-03-01T10:00:00Z")
        #expect(status["conditions"]?.array?.allSatisfy { $0["lastProbeTime"] == .null && $0["lastTransitionTime"]?.string == "2025-03-01T10:00:00Z" } == true)
    }

    @Test func stageTwoRunsTheContainersWithTheKubeletsEvents() {
        var pod = Self.pod()
        advance(&pod, at: 0)
        let step = advance(&pod, at: 0.5)
        #expect(pod["status"]?["phase"]?.string == "Running")
        #expect(conditions(pod) == ["PodReadyToStartContainers True", "Initialized True", "Ready True", "ContainersReady True", "PodScheduled True"])
        let nginx = container(pod)
        #expect(nginx["image"]?.string == "docker.io/library/nginx:latest")
        #expect(nginx["imageID"]?.string == ContainerImage.imageID("nginx"))
        #expect(nginx["containerID"]?.string?.count == "containerd://".count + 64)
        #expect(nginx["ready"] == .bool(true) && nginx["started"] == .bool(true) && nginx["restartCount"] == .integer(0))
        #expect(nginx["state"] == .object(["running": .object(["startedAt": .string("2025-03-01T10:00:00Z")])]))
        #expect(step.events.map { "\($0.type) \($0.reason) \($0.message) \($0.fieldPath)" } == [
            "Normal Pulling Pulling image \"nginx\" spec.containers{nginx}",
            "Normal Pulled Successfully pulled image \"nginx\" in 0s (0s including waiting). Image size: 0 bytes. spec.containers{nginx}",
            "Normal Created Created container: nginx spec.containers{nginx}",
            "Normal Started Started container nginx spec.containers{nginx}",
        ])
        #expect(step.pulledImages == ["docker.io/library/nginx:latest"])
        #expect(step.requeueAfter == nil)
        // Nothing more happens to a long-running pod.
        let again = advance(&pod, at: 60)
        #expect(again.status == nil && again.events.isEmpty && again.requeueAfter == nil)
    }

    @Test func imagesAlreadyOnTheNodeAreNotPulledAgain() {
        var pod = Self.pod(image: "nginx:1.27")
        advance(&pod, at: 0)
        let step = advance(&pod, at: 0, images: ["docker.io/library/nginx:1.27"])
        #expect(step.events.first?.message == "Container image \"nginx:1.27\" already present on machine")
        #expect(step.pulledImages.isEmpty)
    }

    @Test func readinessGatesHoldReadyUntilTheirConditionsAreTrue() {
        var pod = Self.pod(spec: ["readinessGates": .array([.object(["conditionType": .string("example.com/lb")])])])
        advance(&pod, at: 0)
        advance(&pod, at: 0)
        #expect(conditions(pod).contains(
            "Ready False ReadinessGatesNotReady corresponding condition of pod readiness gate \"example.com/lb\" does not exist."))
        var status = pod["status"]!
        status["conditions"] = .array([.object(["type": .string("example.com/lb"), "status": .string("False")])] + status["conditions"]!.array!)
        pod["status"] = status
        advance(&pod, at: 5)
        #expect(conditions(pod).contains(
            "Ready False ReadinessGatesNotReady the status of pod readiness gate \"example.com/lb\" is not \"True\", but False"))
        status = pod["status"]!
        status["conditions"] = .array([.object(["type": .string("example.com/lb"), "status": .string("True")])]
                                      + status["conditions"]!.array!.dropFirst())
        pod["status"] = status
        advance(&pod, at: 10)
        #expect(conditions(pod).first == "example.com/lb True")
        #expect(conditions(pod).contains("Ready True"))
        let ready = pod["status"]?["conditions"]?.array?.first { $0["type"]?.string == "Ready" }
        #expect(ready?["lastTransitionTime"]?.string == "2025-03-01T10:00:10Z")
    }

    @Test func aJobPodSucceedsAfterItsRunTime() {
        var pod = Self.pod(restartPolicy: "Never", jobOwned: true)
        advance(&pod, at: 0)
        let running = advance(&pod, at: 0)
        #expect(running.requeueAfter == .seconds(1))
        #expect(advance(&pod, at: 0.5).status == nil)
        let done = advance(&pod, at: 1)
        #expect(done.finished && done.requeueAfter == nil && done.events.isEmpty)
        #expect(pod["status"]?["phase"]?.string == "Succeeded")
        #expect(conditions(pod) == ["PodReadyToStartContainers False", "Initialized True PodCompleted", "Ready False PodCompleted",
                                    "ContainersReady False PodCompleted", "PodScheduled True"])
        let terminated = container(pod)["state"]?["terminated"]
        #expect(terminated?["exitCode"] == .integer(0) && terminated?["reason"]?.string == "Completed")
        #expect(terminated?["startedAt"]?.string == "2025-03-01T10:00:00Z" && terminated?["finishedAt"]?.string == "2025-03-01T10:00:01Z")
        #expect(terminated?["containerID"] == container(pod)["containerID"])
        #expect(container(pod)["ready"] == .bool(false) && container(pod)["started"] == .bool(false))
        // Terminal: nothing more.
        let after = advance(&pod, at: 30)
        #expect(after.status == nil && after.finished)
    }

    @Test func annotationsSetTheExitCodeAndRunTime() {
        var pod = Self.pod(restartPolicy: "Never", annotations: [SimulatedRun.exitCodeAnnotation: "1", SimulatedRun.runDurationAnnotation: "3s"])
        advance(&pod, at: 0)
        #expect(advance(&pod, at: 0).requeueAfter == .seconds(3))
        #expect(advance(&pod, at: 2).requeueAfter == .seconds(1))
        advance(&pod, at: 3)
        #expect(pod["status"]?["phase"]?.string == "Failed")
        #expect(container(pod)["state"]?["terminated"]?["reason"]?.string == "Error")
        #expect(container(pod)["state"]?["terminated"]?["exitCode"] == .integer(1))
        #expect(conditions(pod).contains("Ready False PodFailed") && conditions(pod).contains("ContainersReady False PodFailed"))
        // OnFailure with success completes too.
        var onFailure = Self.pod(restartPolicy: "OnFailure")
        advance(&onFailure, at: 0)
        advance(&onFailure, at: 0)
        advance(&onFailure, at: 1)
        #expect(onFailure["status"]?["phase"]?.string == "Succeeded")
    }

    @Test func aCrashingContainerRestartsWithBackOff() {
        var pod = Self.pod(annotations: [SimulatedRun.exitCodeAnnotation: "1"])
        advance(&pod, at: 0)
        advance(&pod, at: 0)
        // First exit: restarted at once.
        let first = advance(&pod, at: 1)
        #expect(container(pod)["restartCount"] == .integer(1))
        #expect(container(pod)["state"]?["running"]?["startedAt"]?.string == "2025-03-01T10:00:01Z")
        #expect(container(pod)["lastState"]?["terminated"]?["exitCode"] == .integer(1))
        #expect(first.events.map(\.reason) == ["Pulling", "Pulled", "Created", "Started"])
        #expect(pod["status"]?["phase"]?.string == "Running")
        // Second exit: CrashLoopBackOff for 10 s.
        let second = advance(&pod, at: 2)
        let waiting = container(pod)["state"]?["waiting"]
        #expect(waiting?["reason"]?.string == "CrashLoopBackOff")
        #expect(waiting?["message"]?.string == "back-off 10s restarting failed container=nginx pod=p_default(uid-p)")
        #expect(container(pod)["restartCount"] == .integer(1) && container(pod)["ready"] == .bool(false))
        #expect(second.events.map { "\($0.type) \($0.reason) \($0.message)" } ==
                ["Warning BackOff Back-off restarting failed container nginx in pod p_default(uid-p)"])
        #expect(second.requeueAfter == .seconds(10))
        #expect(pod["status"]?["phase"]?.string == "Running")
        #expect(conditions(pod).contains("Ready False ContainersNotReady containers with unready status: [nginx]"))
        #expect(advance(&pod, at: 11).status == nil)
        advance(&pod, at: 12)
        #expect(container(pod)["restartCount"] == .integer(2) && container(pod)["state"]?["running"] != nil)
        advance(&pod, at: 13)
        #expect(container(pod)["state"]?["waiting"]?["message"]?.string == "back-off 20s restarting failed container=nginx pod=p_default(uid-p)")
    }

    @Test func initContainersRunFirst() {
        let initContainer: JSONValue = .object(["name": .string("setup"), "image": .string("busybox:1.36")])
        var pod = Self.pod(spec: ["initContainers": .array([initContainer])])
        advance(&pod, at: 0)
        #expect(pod["status"]?["initContainerStatuses"]?.array?.first?["state"]?["waiting"]?["reason"]?.string == "PodInitializing")
        #expect(container(pod)["state"]?["waiting"]?["reason"]?.string == "PodInitializing")
        #expect(conditions(pod)[1] == "Initialized False ContainersNotInitialized containers with incomplete status: [setup]")
        let step = advance(&pod, at: 0)
        #expect(step.events.map(\.fieldPath) == ["spec.initContainers{setup}", "spec.initContainers{setup}", "spec.initContainers{setup}",
                                                 "spec.initContainers{setup}", "spec.containers{nginx}", "spec.containers{nginx}",
                                                 "spec.containers{nginx}", "spec.containers{nginx}"])
        let setup = pod["status"]?["initContainerStatuses"]?.array?.first
        #expect(setup?["state"]?["terminated"]?["reason"]?.string == "Completed" && setup?["ready"] == .bool(false))
        #expect(conditions(pod)[1] == "Initialized True")
        #expect(pod["status"]?["phase"]?.string == "Running")
    }

    @Test func deletionStopsTheContainersThenDeletesThePod() {
        var pod = Self.pod()
        advance(&pod, at: 0)
        advance(&pod, at: 0)
        pod["metadata"]?["deletionTimestamp"] = .string("2025-03-01T10:01:00Z")
        let step = advance(&pod, at: 60)
        #expect(step.deletePod && step.finished)
        #expect(step.events.map { "\($0.reason) \($0.message)" } == ["Killing Stopping container nginx"])
        #expect(container(pod)["state"]?["terminated"]?["exitCode"] == .integer(0))
        #expect(pod["status"]?["phase"]?.string == "Succeeded")
        #expect(conditions(pod).first == "PodReadyToStartContainers False")

        var unstarted = Self.pod()
        unstarted["metadata"]?["deletionTimestamp"] = .string("2025-03-01T10:01:00Z")
        let gone = advance(&unstarted, at: 0)
        #expect(gone.deletePod && gone.status == nil && gone.events.isEmpty)
    }

    @Test func hostNetworkPodsUseTheNodeAddress() {
        var pod = Self.pod(spec: ["hostNetwork": .bool(true)])
        advance(&pod, at: 0)
        #expect(pod["status"]?["podIP"]?.string == "172.18.0.2")
    }

    @Test func qosClassFollowsRequestsAndLimits() {
        func spec(_ resources: JSONValue) -> JSONValue {
            .object(["containers": .array([.object(["name": .string("c"), "resources": resources])])])
        }
        #expect(SimulatedPodLifecycle.qosClass(spec(.object([:]))) == "BestEffort")
        #expect(SimulatedPodLifecycle.qosClass(spec(.object(["requests": .object(["cpu": .string("100m")])]))) == "Burstable")
        let equal: JSONValue = .object(["cpu": .string("1"), "memory": .string("1Gi")])
        #expect(SimulatedPodLifecycle.qosClass(spec(.object(["limits": equal]))) == "Guaranteed")
        #expect(SimulatedPodLifecycle.qosClass(spec(.object(["limits": equal, "requests": .object(["cpu": .string("1000m")])]))) == "Guaranteed")
    }

    @Test func backOffDelaysAndTheirGoSpelling() {
        #expect((0...7).map(CrashLoopBackOff.delay(restartCount:)) == [0, 10, 20, 40, 80, 160, 300, 300])
        #expect([10, 80, 160, 300].map(CrashLoopBackOff.goDuration(seconds:)) == ["10s", "1m20s", "2m40s", "5m0s"])
    }
}
