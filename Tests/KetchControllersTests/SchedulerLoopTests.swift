import Foundation
import Testing
@testable import KetchControllers
import KubeClient
import KubeCore
import KubeTestSupport

@Suite("Scheduler loop")
struct SchedulerLoopTests {
    typealias F = SchedulerFixtures
    typealias R = ReplicaSetFixtures

    /// A scheduler over `api`, running until the returned stop closure is called.
    private func start(_ api: FakeKubeAPI) -> @Sendable () -> Void {
        let context = R.context(api, component: "default-scheduler")
        context.informers.start()
        let scheduler = Scheduler(context: context)
        let task = Task { await scheduler.run() }
        return {
            task.cancel()
            context.informers.stop()
        }
    }

    private func pod(_ api: FakeKubeAPI, _ name: String) async -> JSONValue? {
        await api.object(BuiltinResources.pods, namespace: "default", name: name)
    }

    private func nodeName(_ api: FakeKubeAPI, _ name: String) async -> String {
        await pod(api, name)?["spec"]?["nodeName"]?.string ?? ""
    }

    @Test func bindsAPendingPodAndSaysSo() async throws {
        let api = FakeKubeAPI()
        await api.seed(BuiltinResources.nodes, F.node("n1"))
        await api.seed(BuiltinResources.pods, F.pod("p1"))
        await api.seed(BuiltinResources.pods, F.pod("other", extraSpec: ["schedulerName": .string("my-scheduler")]))
        let stop = start(api)
        defer { stop() }
        #expect(await R.eventually { await nodeName(api, "p1") == "n1" })
        #expect(await R.eventually { await R.events(api) == ["Scheduled: Successfully assigned default/p1 to n1"] })
        let bindings = await api.writes.filter { $0.subresource == "binding" }
        #expect(bindings.map(\.description) == ["create pods default/p1/binding"])
        #expect(await nodeName(api, "other") == "")
    }

    @Test func reportsAnUnschedulablePodOnceThenBindsItWhenANodeAppears() async throws {
        let api = FakeKubeAPI()
        await api.seed(BuiltinResources.nodes, F.node("cp", taints: [F.controlPlaneTaint]))
        await api.seed(BuiltinResources.pods, F.pod("p1"))
        let stop = start(api)
        defer { stop() }
        let message = "0/1 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }. "
            + "preemption: 0/1 nodes are available: 1 Preemption is not helpful for scheduling."
        #expect(await R.eventually { await R.events(api) == ["FailedScheduling: \(message)"] })
        #expect(await R.eventually {
            let condition = await pod(api, "p1")?["status"]?["conditions"]?.array?.first { $0["type"]?.string == "PodScheduled" }
            return condition?["status"]?.string == "False" && condition?["reason"]?.string == "Unschedulable"
                && condition?["message"]?.string == message
        })

        // Nothing changes, so nothing is retried: no spinning.
        try await Task.sleep(for: .seconds(3))
        #expect(await api.writes.filter { $0.resource == "pods" }.count == 1)
        #expect(await api.objects(BuiltinResources.events).first?["count"]?.int == 1)

        await api.seed(BuiltinResources.nodes, F.node("w1"))
        #expect(await R.eventually { await nodeName(api, "p1") == "w1" })
    }

    @Test func aBurstDoesNotOvercommitANode() async throws {
        let api = FakeKubeAPI()
        await api.seed(BuiltinResources.nodes, F.node("a", cpu: "1"))
        await api.seed(BuiltinResources.nodes, F.node("b", cpu: "1"))
        for index in 0..<30 { await api.seed(BuiltinResources.pods, F.pod("web-\(index)", cpu: "100m", ownerUID: "rs1")) }
        let stop = start(api)
        defer { stop() }
        #expect(await R.eventually {
            await api.objects(BuiltinResources.events).filter { $0["reason"]?.string == "FailedScheduling" }.count == 10
        })
        let placed = await api.objects(BuiltinResources.pods).compactMap { $0["spec"]?["nodeName"]?.string }
        #expect(Dictionary(grouping: placed, by: { $0 }).mapValues(\.count) == ["a": 10, "b": 10])
        let failure = await api.objects(BuiltinResources.events).first { $0["reason"]?.string == "FailedScheduling" }
        #expect(failure?["message"]?.string == "0/2 nodes are available: 2 Insufficient cpu. "
            + "preemption: 0/2 nodes are available: 2 No preemption victims found for incoming pod.")
    }

    @Test func aPodLeavingANodeMakesRoomForAPendingOne() async throws {
        let api = FakeKubeAPI()
        await api.seed(BuiltinResources.nodes, F.node("n1", cpu: "1"))
        await api.seed(BuiltinResources.pods, F.pod("big", cpu: "900m", node: "n1"))
        await api.seed(BuiltinResources.pods, F.pod("waiting", cpu: "500m"))
        let stop = start(api)
        defer { stop() }
        #expect(await R.eventually { await R.events(api).count == 1 })
        #expect(await nodeName(api, "waiting") == "")
        _ = try await api.delete(BuiltinResources.pods, namespace: "default", name: "big", options: .init(gracePeriodSeconds: 0))
        #expect(await R.eventually { await nodeName(api, "waiting") == "n1" })
    }

    @Test func bindingAndConditionShapes() {
        let binding = Scheduler.binding(for: F.pod("p1"), node: "n1")
        #expect(binding == .object([
            "apiVersion": .string("v1"), "kind": .string("Binding"),
            "metadata": .object(["name": .string("p1"), "namespace": .string("default"), "uid": .string("uid-p1")]),
            "target": .object(["apiVersion": .string("v1"), "kind": .string("Node"), "name": .string("n1")]),
        ]))
        let now = KubeTime.parse("2025-01-01T00:00:00Z")!
        let patch = Scheduler.unschedulableConditionPatch(F.pod("p1"), message: "m", now: now)
        let condition = patch?["status"]?["conditions"]?.array?.first
        #expect(condition?["lastTransitionTime"]?.string == "2025-01-01T00:00:00Z")
        #expect(condition?["lastProbeTime"] == .null)
        var reported = F.pod("p1")
        reported["status"] = .object(["phase": .string("Pending"), "conditions": .array([condition!])])
        #expect(Scheduler.unschedulableConditionPatch(reported, message: "m", now: now.addingTimeInterval(60)) == nil)
        let changed = Scheduler.unschedulableConditionPatch(reported, message: "other", now: now.addingTimeInterval(60))
        // Still False: the transition time stays.
        #expect(changed?["status"]?["conditions"]?.array?.first?["lastTransitionTime"]?.string == "2025-01-01T00:00:00Z")
    }
}
