import Foundation
@testable import KetchBootstrap

/// A temporary state directory, removed when the test ends.
final class TestDirectory {
    let path: String

    init() throws {
        path = NSTemporaryDirectory() + "ketch-bootstrap-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    var layout: StateLayout { StateLayout(root: path) }

    deinit {
        try? FileManager.default.removeItem(atPath: path)
    }
}

/// A configuration on loopback with the given ports; node name fixed so tests can assert on it.
func testConfiguration(_ dir: TestDirectory, apiServerPort: Int = 6443, etcdClientPort: Int = 2379,
                       etcdPeerPort: Int = 2380, etcdMetricsPort: Int = 2381) -> ControlPlaneConfiguration {
    var c = ControlPlaneConfiguration(nodeName: "ketch-node", advertiseAddress: "127.0.0.1", layout: dir.layout)
    c.apiServerPort = apiServerPort
    c.etcdClientPort = etcdClientPort
    c.etcdPeerPort = etcdPeerPort
    c.etcdMetricsPort = etcdMetricsPort
    return c
}

extension NodeFacts {
    /// Fixed facts, so seed tests do not depend on the host.
    static let sample = NodeFacts(
        architecture: "amd64", kernelVersion: "6.1.0", osImage: "Debian GNU/Linux 12 (bookworm)",
        machineID: "0123456789abcdef0123456789abcdef", systemUUID: "01234567-89ab-cdef-0123-456789abcdef",
        bootID: "fedcba98-7654-3210-fedc-ba9876543210", cpuCount: 2, memoryBytes: 24 << 30,
        ephemeralStorageBytes: 100 << 30)
}
