import Testing
@testable import KetchControllers

@Suite("Simulated kubelet addresses and ids")
struct KubeletAddressTests {
    @Test func podAddressesSkipTheNetworkGatewayAndBroadcast() throws {
        var allocator = try #require(PodIPAllocator(podCIDR: "10.244.1.0/24"))
        #expect(allocator.address(for: "a") == "10.244.1.2")
        #expect(allocator.address(for: "b") == "10.244.1.3")
        #expect(allocator.address(for: "a") == "10.244.1.2")  // held per pod
        let rest = (0..<251).compactMap { allocator.address(for: "p\($0)") }
        #expect(rest.count == 251 && rest.last == "10.244.1.254")
        #expect(allocator.address(for: "full") == nil)
        // A released address comes back once the range wraps around.
        allocator.release("b")
        #expect(allocator.address(for: "c") == "10.244.1.3")
        #expect(allocator.allocatedCount == 253)
    }

    @Test func releasedAddressesAreReusedOnlyAfterTheOthers() throws {
        var allocator = try #require(PodIPAllocator(podCIDR: "10.244.2.0/24"))
        _ = allocator.address(for: "a")
        allocator.release("a")
        #expect(allocator.address(for: "b") == "10.244.2.3")
    }

    @Test func reservedAddressesSurviveARestart() throws {
        var allocator = try #require(PodIPAllocator(podCIDR: "10.244.0.0/24"))
        let reserved = [("10.244.0.2", "old"), ("10.244.0.2", "other"), ("10.244.9.9", "outside"), ("10.244.0.1", "gateway")]
            .map { allocator.reserve($0.0, for: $0.1) }
        #expect(reserved == [true, false, false, false])
        #expect(allocator.address(of: "old") == "10.244.0.2")
        #expect(allocator.address(for: "new") == "10.244.0.3")
    }

    @Test func ipv6AndSmallRanges() throws {
        var v6 = try #require(PodIPAllocator(podCIDR: "fd00:10:244:1::/64"))
        #expect(v6.address(for: "a") == "fd00:10:244:1::2")
        var tiny = try #require(PodIPAllocator(podCIDR: "10.0.0.0/30"))
        #expect(tiny.address(for: "a") == "10.0.0.2")
        #expect(tiny.address(for: "b") == nil)
        #expect(PodIPAllocator(podCIDR: "10.0.0.0/31") == nil)
        #expect(PodIPAllocator(podCIDR: "bogus") == nil)
    }

    @Test func imagesNormalizeAsContainerdReportsThem() {
        let cases = [
            ("nginx", "docker.io/library/nginx:latest"), ("nginx:1.27", "docker.io/library/nginx:1.27"),
            ("bitnami/redis", "docker.io/bitnami/redis:latest"), ("docker.io/nginx", "docker.io/library/nginx:latest"),
            ("quay.io/coreos/etcd:v3.5", "quay.io/coreos/etcd:v3.5"), ("localhost:5000/app", "localhost:5000/app:latest"),
            ("registry.k8s.io/pause:3.10", "registry.k8s.io/pause:3.10"),
            ("nginx@sha256:abc", "docker.io/library/nginx@sha256:abc"),
        ]
        for (image, expected) in cases { #expect(ContainerImage.normalized(image) == expected) }
        #expect(ContainerImage.imageID("nginx") == ContainerImage.imageID("docker.io/library/nginx:latest"))
        #expect(ContainerImage.imageID("nginx").hasPrefix("docker.io/library/nginx@sha256:"))
        #expect(ContainerImage.imageID("nginx") != ContainerImage.imageID("nginx:1.27"))
        #expect(ContainerImage.imageID("nginx:1.27@sha256:abc") == "docker.io/library/nginx@sha256:abc")
        #expect(ContainerImage.defaultPullPolicy("nginx") == "Always")
        #expect(ContainerImage.defaultPullPolicy("nginx:1.27") == "IfNotPresent")
        let id = ContainerImage.containerID(podUID: "u", container: "c", restartCount: 0)
        #expect(id.hasPrefix("containerd://") && id != ContainerImage.containerID(podUID: "u", container: "c", restartCount: 1))
    }
}
