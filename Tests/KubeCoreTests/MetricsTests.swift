import Foundation
import Testing
@testable import KubeCore

/// Parses a JSON literal written in a test.
private func json(_ text: String) -> JSONValue { try! JSONValue(parsing: Data(text.utf8)) }

/// A Running pod on `node` with one container of the given resources.
private func pod(_ name: String, uid: String, node: String = "n1", phase: String = "Running",
                 resources: String = "{}", labels: String = "{\"app\":\"web\"}") -> JSONValue {
    json("""
    {"metadata":{"name":"\(name)","namespace":"default","uid":"\(uid)","labels":\(labels)},
     "spec":{"nodeName":"\(node)","containers":[{"name":"c","image":"nginx","resources":\(resources)}]},
     "status":{"phase":"\(phase)","containerStatuses":[{"name":"c","state":{"running":{}}}]}}
    """)
}

/// A node with 4 cores and 8Gi, Ready or not.
private func node(_ name: String, ready: Bool = true) -> JSONValue {
    json("""
    {"metadata":{"name":"\(name)","labels":{"kubernetes.io/hostname":"\(name)"}},
     "status":{"capacity":{"cpu":"4","memory":"8Gi"},"allocatable":{"cpu":"4","memory":"8Gi"},
       "conditions":[{"type":"Ready","status":"\(ready ? "True" : "False")"}]}}
    """)
}

struct MetricsQuantityTests {
    @Test func readsQuantities() {
        #expect(MetricsQuantity.amount(.string("100m")) == 0.1)
        #expect(MetricsQuantity.amount(.string("2")) == 2)
        #expect(MetricsQuantity.amount(.string("1.5")) == 1.5)
        #expect(MetricsQuantity.amount(.string("128Mi")) == 134_217_728.0)
        #expect(MetricsQuantity.amount(.string("1G")) == 1e9)
        #expect(MetricsQuantity.amount(.string("2e3")) == 2000)
        #expect(MetricsQuantity.amount(.string(".5")) == 0.5)
        #expect(MetricsQuantity.amount(.integer(3)) == 3)
        #expect(MetricsQuantity.amount(.string("abc")) == nil)
        #expect(MetricsQuantity.amount(.string("1.2.3")) == nil)
        #expect(MetricsQuantity.amount(.string("5Xi")) == nil)
    }

    @Test func writesCPUAsGoCanonicalDecimalSI() {
        #expect(MetricsQuantity.cpu(nanocores: 1_364_195) == "1364195n")
        #expect(MetricsQuantity.cpu(nanocores: 12_000) == "12u")
        #expect(MetricsQuantity.cpu(nanocores: 5_000_000) == "5m")
        #expect(MetricsQuantity.cpu(nanocores: 1_500_000_000) == "1500m")
        #expect(MetricsQuantity.cpu(nanocores: 2_000_000_000) == "2")
        #expect(MetricsQuantity.cpu(nanocores: 0) == "0")
    }

    @Test func writesMemoryAsGoCanonicalBinarySI() {
        #expect(MetricsQuantity.memory(bytes: 33_976_320) == "33180Ki")
        #expect(MetricsQuantity.memory(bytes: 2 * 1024 * 1024) == "2Mi")
        #expect(MetricsQuantity.memory(bytes: 1500) == "1500")
        // BinarySI below 1024 prints as DecimalSI (CanonicalizeBytes), so 1000 bytes read `1k`.
        #expect(MetricsQuantity.memory(bytes: 1000) == "1k")
        #expect(MetricsQuantity.memory(bytes: 0) == "0")
    }
}

struct MetricsUsageTests {
    let times = stride(from: Int64(1_750_000_000), to: 1_750_007_200, by: 15).map { $0 }

    @Test func usageStaysWithinItsShareOfTheRequest() {
        let container = json(#"{"name":"c","resources":{"requests":{"cpu":"200m","memory":"256Mi"}}}"#)
        for t in times {
            let u = SimulatedUsage.container(container, podUID: "u1", at: t)
            #expect(u.nanocores >= 20_000_000 && u.nanocores <= 180_000_000, "cpu \(u.nanocores) at \(t)")
            let mi = Double(u.bytes) / 1024 / 1024
            #expect(mi >= 256 * 0.45 - 0.01 && mi <= 256 * 0.65, "memory \(mi)Mi at \(t)")
            #expect(u.bytes % 4096 == 0)
        }
    }

    @Test func usageIsDeterministicButMovesAndDiffersPerPod() {
        let container = json(#"{"name":"c","resources":{"requests":{"cpu":"1","memory":"1Gi"}}}"#)
        let a = times.map { SimulatedUsage.container(container, podUID: "u1", at: $0) }
        #expect(a == times.map { SimulatedUsage.container(container, podUID: "u1", at: $0) })
        #expect(Set(a.map(\.nanocores)).count > 100)
        #expect(Set(a.map(\.bytes)).count > 10)
        let b = times.map { SimulatedUsage.container(container, podUID: "u2", at: $0) }
        #expect(a != b)
    }

    @Test func limitsAreTheBaseWithoutRequestsAndACap() {
        let limitOnly = json(#"{"name":"c","resources":{"limits":{"cpu":"500m","memory":"64Mi"}}}"#)
        // A request above the limit cannot pass validation, but the cap must hold anyway.
        let overLimit = json(#"{"name":"c","resources":{"requests":{"cpu":"2","memory":"1Gi"},"limits":{"cpu":"100m","memory":"32Mi"}}}"#)
        for t in times {
            let u = SimulatedUsage.container(limitOnly, podUID: "u", at: t)
            #expect(u.nanocores >= 50_000_000 && u.nanocores <= 450_000_000)
            #expect(u.bytes <= 64 * 1024 * 1024 && u.bytes >= 28 * 1024 * 1024)
            let capped = SimulatedUsage.container(overLimit, podUID: "u", at: t)
            #expect(capped.nanocores <= 100_000_000 && capped.bytes <= 32 * 1024 * 1024)
        }
    }

    @Test func containersWithoutResourcesUseALittle() {
        let bare = json(#"{"name":"c","image":"nginx"}"#)
        for t in times {
            let u = SimulatedUsage.container(bare, podUID: "u", at: t)
            #expect(u.nanocores >= 500_000 && u.nanocores <= 4_500_000)
            #expect(u.bytes >= 7 * 1024 * 1024 && u.bytes <= 11 * 1024 * 1024)
        }
    }

    @Test func nodeUsageIsOverheadPlusPodsCappedAtCapacity() {
        let n = node("n1")
        let t = times[0]
        let overhead = SimulatedUsage.systemOverhead(node: n, at: t)
        // 50m + 1% of 4 cores, ±20%; 256Mi + 3% of 8Gi, ±5%.
        #expect(overhead.nanocores >= 72_000_000 && overhead.nanocores <= 108_000_000)
        #expect(overhead.bytes >= Int64(0.95 * 501.76 * 1024 * 1024) && overhead.bytes <= Int64(1.05 * 501.76 * 1024 * 1024) + 4096)
        let pods = ResourceUsage(nanocores: 1_000_000_000, bytes: 1024 * 1024 * 1024)
        #expect(SimulatedUsage.node(n, pods: pods, at: t) == overhead + pods)
        let huge = ResourceUsage(nanocores: 10_000_000_000, bytes: 100 * 1024 * 1024 * 1024)
        #expect(SimulatedUsage.node(n, pods: huge, at: t) == ResourceUsage(nanocores: 4_000_000_000, bytes: 8 * 1024 * 1024 * 1024))
    }
}

struct MetricsScrapeTests {
    let scrape = MetricsScrape(now: Date(timeIntervalSince1970: 1_750_000_007.6))

    @Test func scrapesEveryFifteenSeconds() {
        #expect(scrape.time == 1_750_000_005)
        #expect(scrape.time % 15 == 0 && scrape.time <= 1_750_000_007 && scrape.time > 1_750_000_007 - 15)
        #expect(scrape.timestamp == KubeTime.rfc3339(Date(timeIntervalSince1970: TimeInterval(scrape.time))))
        // The same scrape for every request within the interval.
        #expect(MetricsScrape(now: Date(timeIntervalSince1970: 1_750_000_019.9)).time == scrape.time)
        #expect(MetricsScrape(now: Date(timeIntervalSince1970: 1_750_000_020)).time == scrape.time + 15)
    }

    @Test func windowsPrintAsGoDurationsNearTheResolution() {
        #expect(MetricsScrape.goDuration(milliseconds: 15_000) == "15s")
        #expect(MetricsScrape.goDuration(milliseconds: 15_200) == "15.2s")
        #expect(MetricsScrape.goDuration(milliseconds: 14_501) == "14.501s")
        #expect(MetricsScrape.goDuration(milliseconds: 20_052) == "20.052s")
        #expect(MetricsScrape.goDuration(milliseconds: 900) == "900ms")
        #expect(MetricsScrape.goDuration(milliseconds: 75_000) == "1m15s")
        for name in ["n1", "n2", "node1-worker"] {
            let window = scrape.window(node: name)
            #expect(window.hasSuffix("s") && !window.hasSuffix("ms"))
            let seconds = try! #require(Double(window.dropLast()))
            #expect(seconds >= 14.5 && seconds < 15.5, "\(window)")
            #expect(window == scrape.window(node: name))
        }
    }

    @Test func onlyRunningPodsOnReadyNodesHaveMetrics() {
        let ready = MetricsScrape.readyNodes([node("n1"), node("n2", ready: false)])
        #expect(ready == ["n1"])
        #expect(MetricsScrape.hasMetrics(pod("a", uid: "1"), readyNodes: ready))
        #expect(!MetricsScrape.hasMetrics(pod("b", uid: "2", phase: "Pending"), readyNodes: ready))
        #expect(!MetricsScrape.hasMetrics(pod("c", uid: "3", phase: "Succeeded"), readyNodes: ready))
        #expect(!MetricsScrape.hasMetrics(pod("d", uid: "4", node: "n2"), readyNodes: ready))
    }

    @Test func podMetricsLookLikeMetricsServers() throws {
        let p = pod("web-1", uid: "u1", resources: #"{"requests":{"cpu":"100m","memory":"64Mi"}}"#)
        let m = scrape.podMetrics(p)
        #expect(m["kind"] == .string("PodMetrics") && m["apiVersion"] == .string("metrics.k8s.io/v1beta1"))
        #expect(m["metadata"]?["name"] == .string("web-1") && m["metadata"]?["namespace"] == .string("default"))
        #expect(m["metadata"]?["labels"] == .object(["app": .string("web")]))
        #expect(m["metadata"]?["creationTimestamp"] == .string(KubeTime.rfc3339(scrape.now)))
        #expect(m["metadata"]?["uid"] == nil && m["metadata"]?["resourceVersion"] == nil)
        #expect(m["timestamp"] == .string(scrape.timestamp))
        #expect(m["window"] == .string(scrape.window(node: "n1")))
        let containers = try #require(m["containers"]?.array)
        #expect(containers.count == 1 && containers[0]["name"] == .string("c"))
        let usage = SimulatedUsage.container(p["spec"]!["containers"]!.array![0], podUID: "u1", at: scrape.time)
        #expect(containers[0]["usage"] == usage.json)
    }

    @Test func sidecarsCountAndStoppedContainersDoNot() throws {
        let p = json("""
        {"metadata":{"name":"p","namespace":"ns","uid":"u"},
         "spec":{"nodeName":"n1",
           "initContainers":[{"name":"init","image":"busybox"},{"name":"proxy","image":"envoy","restartPolicy":"Always"}],
           "containers":[{"name":"app","image":"nginx"},{"name":"crashing","image":"nginx"}]},
         "status":{"phase":"Running",
           "initContainerStatuses":[{"name":"init","state":{"terminated":{"exitCode":0}}},{"name":"proxy","state":{"running":{}}}],
           "containerStatuses":[{"name":"app","state":{"running":{}}},{"name":"crashing","state":{"waiting":{"reason":"CrashLoopBackOff"}}}]}}
        """)
        #expect(scrape.containers(of: p).map(\.name) == ["proxy", "app"])
        #expect(scrape.podMetrics(p)["metadata"]?["labels"] == nil)
    }

    @Test func nodeMetricsSumTheNodesRunningPods() throws {
        let pods = [
            pod("a", uid: "1", resources: #"{"requests":{"cpu":"1","memory":"1Gi"}}"#),
            pod("b", uid: "2"),
            pod("elsewhere", uid: "3", node: "n2", resources: #"{"requests":{"cpu":"2","memory":"2Gi"}}"#),
            pod("pending", uid: "4", phase: "Pending", resources: #"{"requests":{"cpu":"2","memory":"2Gi"}}"#),
        ]
        let n = node("n1")
        let m = scrape.nodeMetrics(n, pods: pods)
        #expect(m["kind"] == .string("NodeMetrics"))
        #expect(m["metadata"]?["name"] == .string("n1"))
        #expect(m["metadata"]?["labels"]?["kubernetes.io/hostname"] == .string("n1"))
        let expected = SimulatedUsage.node(n, pods: scrape.usage(of: pods[0]) + scrape.usage(of: pods[1]), at: scrape.time)
        #expect(m["usage"] == expected.json)
        #expect(ResourceUsage(json: m["usage"]) == expected)
    }

    @Test func listsCarryNoTypeOnTheirItemsAndNoResourceVersion() {
        let list = MetricsScrape.list(kind: "NodeMetricsList", items: [scrape.nodeMetrics(node("n1"), pods: [])])
        #expect(list["kind"] == .string("NodeMetricsList") && list["apiVersion"] == .string("metrics.k8s.io/v1beta1"))
        #expect(list["metadata"] == .object([:]))
        let item = list["items"]?.array?.first
        #expect(item?["kind"] == nil && item?["apiVersion"] == nil && item?["usage"] != nil)
    }
}

struct MetricsTableTests {
    @Test func podTablesSumContainers() throws {
        let item = json("""
        {"metadata":{"name":"p","namespace":"default"},"timestamp":"2025-01-01T00:00:00Z","window":"15.2s",
         "containers":[{"name":"a","usage":{"cpu":"1000000n","memory":"1Mi"}},{"name":"b","usage":{"cpu":"2m","memory":"1024Ki"}}]}
        """)
        let table = MetricsTable.table([item])
        let columns = try #require(table["columnDefinitions"]?.array)
        #expect(columns.compactMap { $0["name"]?.string } == ["Name", "cpu", "memory", "Window"])
        #expect(columns.compactMap { $0["format"]?.string } == ["name", "quantity", "quantity", "duration"])
        let row = try #require(table["rows"]?.array?.first)
        #expect(row["cells"] == .array([.string("p"), .string("3m"), .string("2Mi"), .string("15.2s")]))
        #expect(row["object"]?["kind"] == .string("PartialObjectMetadata"))
        #expect(MetricsTable.table([item], includeObject: .none)["rows"]?.array?.first?["object"] == nil)
    }

    @Test func nodeTablesAndEmptyTables() throws {
        let item = json(#"{"metadata":{"name":"n1"},"window":"14.9s","usage":{"memory":"2Gi","cpu":"250m"}}"#)
        let row = try #require(MetricsTable.table([item])["rows"]?.array?.first)
        #expect(row["cells"] == .array([.string("n1"), .string("250m"), .string("2Gi"), .string("14.9s")]))
        let empty = MetricsTable.table([])
        #expect(empty["columnDefinitions"] == .null && empty["rows"] == .null)
    }
}

struct MetricsDiscoveryTests {
    let catalogue = ResourceCatalogue(crds: [CatalogueTests.widgetCRD])

    @Test func servedAsMetricsServerServesIt() throws {
        #expect(catalogue.lookup(group: "metrics.k8s.io", version: "v1beta1", plural: "nodes") == BuiltinResources.nodeMetrics)
        #expect(catalogue.lookup(group: "metrics.k8s.io", version: "v1beta1", plural: "pods") == BuiltinResources.podMetrics)
        // What `kubectl get --raw /apis/metrics.k8s.io/v1beta1` shows against metrics-server.
        let list = try #require(LegacyDiscovery.apiResourceList(catalogue, group: "metrics.k8s.io", version: "v1beta1"))
        #expect(list["groupVersion"] == .string("metrics.k8s.io/v1beta1"))
        #expect(list["resources"] == .array([
            .object(["name": .string("nodes"), "singularName": .string(""), "namespaced": .bool(false),
                     "kind": .string("NodeMetrics"), "verbs": .array([.string("get"), .string("list")])]),
            .object(["name": .string("pods"), "singularName": .string(""), "namespaced": .bool(true),
                     "kind": .string("PodMetrics"), "verbs": .array([.string("get"), .string("list")])]),
        ]))
        let groups = try #require(LegacyDiscovery.apiGroupList(catalogue)["groups"]?.array)
        #expect(groups.last?["name"] == .string("metrics.k8s.io"))
        #expect(groups.last?["preferredVersion"]?["groupVersion"] == .string("metrics.k8s.io/v1beta1"))
        let aggregated = AggregatedDiscovery.groupDiscoveryList(catalogue, legacy: false)
        let metrics = try #require(aggregated["items"]?.array?.last)
        #expect(metrics["metadata"]?["name"] == .string("metrics.k8s.io"))
        let pods = try #require(metrics["versions"]?.array?.first?["resources"]?.array?.first { $0["resource"] == .string("pods") })
        #expect(pods["scope"] == .string("Namespaced") && pods["responseKind"]?["kind"] == .string("PodMetrics"))
    }

    @Test func coreResourcesStillWinForPlainNames() {
        // The core group comes first in discovery, so `kubectl get pods` still means core pods.
        #expect(catalogue.groups.first?.name == "")
        #expect(BuiltinResources.podMetrics.storagePrefix != BuiltinResources.pods.storagePrefix)
        #expect(!BuiltinResources.podMetrics.verbs.contains("delete"))
    }
}
