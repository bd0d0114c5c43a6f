import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What a kubelet reports about its machine in the Node's status. `probe` reads this host, so the
/// seeded Node describes the machine Ketch runs on.
public struct NodeFacts: Sendable, Equatable {
    /// Go's GOARCH name (`amd64`, `arm64`).
    public var architecture: String
    public var kernelVersion: String
    /// `/etc/os-release` PRETTY_NAME.
    public var osImage: String
    public var machineID: String
    public var systemUUID: String
    public var bootID: String
    public var cpuCount: Int
    public var memoryBytes: UInt64
    /// Size of the file system holding the state directory (the kubelet's nodefs).
    public var ephemeralStorageBytes: UInt64
    /// Ketch runs no container runtime; this names what stands in for one.
    public var containerRuntimeVersion: String = "ketch://0.1.0"
    /// kubeadm's `kubeadm.alpha.kubernetes.io/cri-socket` annotation.
    public var criSocket: String = "unix:///var/run/containerd/containerd.sock"

    public init(architecture: String, kernelVersion: String, osImage: String, machineID: String, systemUUID: String,
                bootID: String, cpuCount: Int, memoryBytes: UInt64, ephemeralStorageBytes: UInt64) {
        self.architecture = architecture
        self.kernelVersion = kernelVersion
        self.osImage = osImage
        self.machineID = machineID
        self.systemUUID = systemUUID
        self.bootID = bootID
        self.cpuCount = cpuCount
        self.memoryBytes = memoryBytes
        self.ephemeralStorageBytes = ephemeralStorageBytes
    }

    /// Reads this host; anything unreadable gets a neutral value rather than an error, since the
    /// Node only describes the machine.
    public static func probe(storagePath: String) -> NodeFacts {
        var uts = utsname()
        _ = uname(&uts)
        func field<T>(_ value: inout T) -> String {
            withUnsafeBytes(of: &value) { String(decoding: $0.prefix(while: { $0 != 0 }), as: UTF8.self) }
        }
        let machine = field(&uts.machine)
        let release = field(&uts.release)
        let machineID = read("/etc/machine-id") ?? ""
        return NodeFacts(
            architecture: goArch(machine),
            kernelVersion: release,
            osImage: osRelease() ?? "Linux",
            machineID: machineID,
            systemUUID: read("/sys/class/dmi/id/product_uuid") ?? uuidForm(machineID),
            bootID: read("/proc/sys/kernel/random/boot_id") ?? "",
            cpuCount: ProcessInfo.processInfo.activeProcessorCount,
            memoryBytes: ProcessInfo.processInfo.physicalMemory,
            ephemeralStorageBytes: fileSystemSize(storagePath))
    }

    static func goArch(_ machine: String) -> String {
        switch machine {
        case "x86_64": return "amd64"
        case "aarch64", "arm64": return "arm64"
        case "i386", "i686": return "386"
        case "ppc64le": return "ppc64le"
        case "s390x": return "s390x"
        default: return machine
        }
    }

    private static func read(_ path: String) -> String? {
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        let text = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        return text.isEmpty ? nil : text
    }

    private static func osRelease() -> String? {
        guard let text = read("/etc/os-release") else { return nil }
        for line in text.split(separator: "\n") where line.hasPrefix("PRETTY_NAME=") {
            return String(line.dropFirst("PRETTY_NAME=".count)).trimmingCharacters(in: CharacterSet(charactersIn: "\"'"))
        }
        return nil
    }

    /// A 32-hex-digit machine id in UUID form, for hosts that hide their DMI UUID.
    private static func uuidForm(_ id: String) -> String {
        guard id.count == 32 else { return id }
        let c = Array(id)
        return [0..<8, 8..<12, 12..<16, 16..<20, 20..<32].map { String(c[$0]) }.joined(separator: "-")
    }

    /// The size of the file system holding `path` (or its nearest existing parent).
    private static func fileSystemSize(_ path: String) -> UInt64 {
        var probe = path
        while !FileManager.default.fileExists(atPath: probe) && probe != "/" && !probe.isEmpty {
            probe = (probe as NSString).deletingLastPathComponent
        }
        var st = statvfs()
        guard statvfs(probe.isEmpty ? "/" : probe, &st) == 0 else { return 0 }
        return UInt64(st.f_blocks) * UInt64(st.f_frsize)
    }
}

extension NodeFacts {
    /// The kubelet's quantities for `status.capacity` and `status.allocatable`: allocatable leaves
    /// out its default hard eviction thresholds (100Mi of memory, 10% of nodefs).
    var placeholders: TemplateValues {
        let memoryKi = memoryBytes / 1024
        return [
            "NODE_ARCH": .string(architecture),
            "NODE_KERNEL_VERSION": .string(kernelVersion),
            "NODE_OS_IMAGE": .string(osImage),
            "NODE_MACHINE_ID": .string(machineID),
            "NODE_SYSTEM_UUID": .string(systemUUID),
            "NODE_BOOT_ID": .string(bootID),
            "NODE_CPU": .string(String(cpuCount)),
            "NODE_MEMORY_CAPACITY": .string("\(memoryKi)Ki"),
            "NODE_MEMORY_ALLOCATABLE": .string("\(memoryKi > 102_400 ? memoryKi - 102_400 : 0)Ki"),
            "NODE_EPHEMERAL_STORAGE_CAPACITY": .string("\(ephemeralStorageBytes / 1024)Ki"),
            "NODE_EPHEMERAL_STORAGE_ALLOCATABLE": .string(String(ephemeralStorageBytes / 10 * 9)),
            "CONTAINER_RUNTIME_VERSION": .string(containerRuntimeVersion),
            "CRI_SOCKET": .string(criSocket),
        ]
    }
}
