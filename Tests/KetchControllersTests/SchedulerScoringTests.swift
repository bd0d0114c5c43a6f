import Testing
@testable import KetchControllers
import KubeCore

@Suite("Scheduler scoring")
struct SchedulerScoringTests {
    typealias F = SchedulerFixtures

    /// Schedules `pods` one after another, counting each on its node as the scheduler's
    /// assume step does; returns the node of each.
    private func placeAll(_ pods: [JSONValue], on nodes: [JSONValue]) -> [String] {
        var infos = F.infos(nodes)
        return pods.map { pod in
            let info = PodSchedulingInfo(pod)
            guard case .fits(let node) = SchedulingAlgorithm.schedule(info, nodes: infos),
                  let index = infos.firstIndex(where: { $0.name == node }) else { return "-" }
            var placed = info
            placed.nodeName = node
            infos[index].add(placed)
            return node
        }
    }

    @Test func replicasOfOneOwnerSpreadEvenly() {
        let nodes = (1...3).map { F.node("n\($0)") }
        let placed = placeAll((0..<9).map { F.pod("web-\($0)", ownerUID: "rs1") }, on: nodes)
        #expect(Dictionary(grouping: placed, by: { $0 }).mapValues(\.count) == ["n1": 3, "n2": 3, "n3": 3])
        // Ties go to the first node by name, so the order repeats.
        #expect(Array(placed.prefix(3)) == ["n1", "n2", "n3"])
    }

    @Test func spreadingHoldsOnNodesThatAlreadyRunOtherPods() {
        let nodes = [F.node("a"), F.node("b")]
        var infos = F.infos(nodes, pods: (0..<5).map { F.pod("busy-\($0)", cpu: "100m", memory: "64Mi", node: "a") })
        var counts: [String: Int] = [:]
        for index in 0..<10 {
            let info = PodSchedulingInfo(F.pod("r-\(index)", ownerUID: "rs2"))
            guard case .fits(let node) = SchedulingAlgorithm.schedule(info, nodes: infos) else { Issue.record("no fit"); return }
            var placed = info
            placed.nodeName = node
            infos[infos.firstIndex { $0.name == node }!].add(placed)
            counts[node, default: 0] += 1
        }
        #expect(abs(counts["a", default: 0] - counts["b", default: 0]) <= 1)
    }

    @Test func leastAllocatedPrefersTheEmptierNode() {
        let infos = F.infos([F.node("a"), F.node("b")], pods: [F.pod("x", cpu: "2", memory: "4Gi", node: "a")])
        #expect(F.decide(F.pod("p", cpu: "100m"), infos) == "fits:b")
        let info = PodSchedulingInfo(F.pod("p", cpu: "1", memory: "2Gi"))
        // 4 cpu / 8Gi: after adding 1 cpu and 2Gi, 75% of each is free.
        #expect(SchedulerScoring.leastAllocated(info, F.infos([F.node("a")])[0]) == 75)
    }

    @Test func preferNoScheduleTaintsAndPreferredAffinitySteer() {
        let tainted = F.node("a", taints: [Taint(key: "spot", effect: "PreferNoSchedule")])
        #expect(F.decide(F.pod("p"), F.infos([tainted, F.node("b")])) == "fits:b")
        let preferred: JSONValue = .object(["nodeAffinity": .object(["preferredDuringSchedulingIgnoredDuringExecution": .array([
            .object(["weight": .integer(50), "preference": .object(["matchExpressions": .array([
                .object(["key": .string("disk"), "operator": .string("In"), "values": .array([.string("ssd")])])])])]),
        ])])])
        let nodes = F.infos([F.node("a"), F.node("b", labels: ["disk": "ssd"])])
        #expect(F.decide(F.pod("p", affinity: preferred), nodes) == "fits:b")
        #expect(F.decide(F.pod("p"), nodes) == "fits:a")
    }

    @Test func normalizationScalesToTheBest() {
        #expect(SchedulerScoring.normalized([0, 5, 10], reverse: false) == [0, 50, 100])
        #expect(SchedulerScoring.normalized([0, 5, 10], reverse: true) == [100, 50, 0])
        #expect(SchedulerScoring.normalized([0, 0], reverse: true) == [100, 100])
    }
}
