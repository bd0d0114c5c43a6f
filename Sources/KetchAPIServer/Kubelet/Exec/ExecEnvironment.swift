import Foundation
import KubeCore

/// Makes the host look like the inside of a control-plane pod for `kubectl exec`: kubeadm's
/// paths in arguments point into the state directory, `etcdctl` is on PATH (the ketch binary
/// under that name) and finds this cluster's etcd, and the environment resembles a container's.
///
/// So the usual `kubectl exec -n kube-system etcd-<node> -- etcdctl --cacert /etc/kubernetes/pki/etcd/ca.crt …`
/// works unchanged against a Ketch state directory.
public struct ExecEnvironment: Sendable {
    /// The directory standing in for `/etc/kubernetes` (STATE/kubernetes).
    public var kubernetesDirectory: URL
    /// The directory standing in for `/var/lib/etcd` (etcd's `--data-dir`), when known.
    public var etcdDataDirectory: URL?
    /// A directory put first on PATH, holding the `etcdctl` link (e.g. STATE/run/bin).
    public var binDirectory: URL
    /// `ETCDCTL_ENDPOINTS`: etcd's `--advertise-client-urls`, so etcdctl reaches this cluster's
    /// etcd even when it does not listen on the default 127.0.0.1:2379.
    public var etcdEndpoints: String?
    /// The program `etcdctl` links to (ketch acts as etcdctl when run under that name).
    public var ketchExecutable: URL?
    /// The cluster's first service IP (10.96.0.1 by default), for the `KUBERNETES_SERVICE_*` variables.
    public var kubernetesServiceIP: String?
    /// The container PATH after `binDirectory`.
    public var systemPath = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

    /// Creates an environment from explicit values.
    public init(kubernetesDirectory: URL, etcdDataDirectory: URL?, binDirectory: URL, etcdEndpoints: String?,
                ketchExecutable: URL? = ExecEnvironment.currentExecutable, kubernetesServiceIP: String? = nil) {
        self.kubernetesDirectory = kubernetesDirectory
        self.etcdDataDirectory = etcdDataDirectory
        self.binDirectory = binDirectory
        self.etcdEndpoints = etcdEndpoints
        self.ketchExecutable = ketchExecutable
        self.kubernetesServiceIP = kubernetesServiceIP
    }

    /// Reads what it needs from a kubeadm manifest directory (STATE/kubernetes/manifests): etcd's
    /// `--data-dir` and `--advertise-client-urls`, kube-apiserver's `--service-cluster-ip-range`.
    /// `binDirectory` defaults to `STATE/run/bin`.
    public init(manifestDirectory: URL, binDirectory: URL? = nil,
                ketchExecutable: URL? = ExecEnvironment.currentExecutable) {
        let kubernetes = manifestDirectory.standardizedFileURL.deletingLastPathComponent()
        let etcd = try? StaticPodFile(contentsOf: manifestDirectory.appendingPathComponent("etcd.yaml"))
        let apiserver = try? StaticPodFile(contentsOf: manifestDirectory.appendingPathComponent("kube-apiserver.yaml"))
        self.init(
            kubernetesDirectory: kubernetes,
            etcdDataDirectory: etcd?.flag("data-dir").map { URL(fileURLWithPath: $0) },
            binDirectory: binDirectory ?? kubernetes.deletingLastPathComponent()
                .appendingPathComponent("run", isDirectory: true).appendingPathComponent("bin", isDirectory: true),
            etcdEndpoints: etcd?.flag("advertise-client-urls"),
            ketchExecutable: ketchExecutable,
            kubernetesServiceIP: apiserver?.flag("service-cluster-ip-range").flatMap(Self.firstServiceIP))
    }

    /// The running program, through `/proc/self/exe` where there is one.
    public static var currentExecutable: URL? {
        if let path = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") {
            return URL(fileURLWithPath: path)
        }
        return Bundle.main.executableURL
    }

    /// Creates `binDirectory` and the `etcdctl` link to `ketchExecutable` (replacing a stale one).
    public func prepare() throws {
        try FileManager.default.createDirectory(at: binDirectory, withIntermediateDirectories: true)
        guard let ketchExecutable else { return }
        let link = binDirectory.appendingPathComponent("etcdctl").path
        if let target = try? FileManager.default.destinationOfSymbolicLink(atPath: link) {
            if target == ketchExecutable.path { return }
            try FileManager.default.removeItem(atPath: link)
        } else if FileManager.default.fileExists(atPath: link) {
            return // a real etcdctl someone put there: leave it
        }
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: ketchExecutable.path)
    }

    /// A whole command with each argument rewritten (see `rewrite(_:)`), and, for a tar that
    /// creates an archive, options that name its members by the in-pod paths (`kubectl cp`
    /// from a pod; see `TarMemberNames`).
    public func rewrite(command: [String]) -> [String] {
        TarMemberNames.adjust(command.map { rewrite($0) }, original: command, mappings: pathMappings)
    }

    /// Each in-pod directory `rewrite` replaces, with the host directory standing in for it.
    public var pathMappings: [(pod: String, host: String)] {
        var mappings = [(pod: "/etc/kubernetes", host: kubernetesDirectory.path)]
        if let etcdDataDirectory { mappings.append((pod: "/var/lib/etcd", host: etcdDataDirectory.path)) }
        return mappings
    }

    /// `argument` with kubeadm's in-pod paths mapped to the state directory:
    /// `/etc/kubernetes/…` → `STATE/kubernetes/…`, `/var/lib/etcd…` → etcd's data dir. Only whole
    /// path components match (`/var/lib/etcd2` stays), anywhere in the argument (`--cacert=/etc/…`,
    /// or a whole `sh -c` script).
    public func rewrite(_ argument: String) -> String {
        pathMappings.reduce(argument) { Self.replacePath(in: $0, $1.pod, with: $1.host) }
    }

    /// The process environment for an exec into `pod`: PATH with `binDirectory` first, HOSTNAME as
    /// the container would see it, HOME, the kube service variables, `ETCDCTL_ENDPOINTS`, and
    /// TERM with a terminal.
    public func environment(pod: JSONValue, tty: Bool) -> [String: String] {
        let podName = pod["metadata"]?["name"]?.string ?? ""
        // A hostNetwork pod shares the node's UTS namespace, so its hostname is the node's.
        let hostNetwork = pod["spec"]?["hostNetwork"] == .bool(true)
        let hostname = hostNetwork ? (pod["spec"]?["nodeName"]?.string ?? podName) : podName
        var env: [String: String] = [
            "PATH": "\(binDirectory.path):\(systemPath)",
            "HOSTNAME": hostname,
            "HOME": "/root",
        ]
        if tty { env["TERM"] = "xterm" }
        if let etcdEndpoints { env["ETCDCTL_ENDPOINTS"] = etcdEndpoints }
        if let ip = kubernetesServiceIP {
            env["KUBERNETES_SERVICE_HOST"] = ip
            env["KUBERNETES_SERVICE_PORT"] = "443"
            env["KUBERNETES_SERVICE_PORT_HTTPS"] = "443"
            env["KUBERNETES_PORT"] = "tcp://\(ip):443"
            env["KUBERNETES_PORT_443_TCP"] = "tcp://\(ip):443"
            env["KUBERNETES_PORT_443_TCP_PROTO"] = "tcp"
            env["KUBERNETES_PORT_443_TCP_PORT"] = "443"
            env["KUBERNETES_PORT_443_TCP_ADDR"] = ip
        }
        // The container's own `env:` entries with literal values.
        let container = pod["spec"]?["containers"]?.array?.first
        for variable in container?["env"]?.array ?? [] {
            if let name = variable["name"]?.string, let value = variable["value"]?.string { env[name] = rewrite(value) }
        }
        return env
    }

    /// Finds `command` as execve with PATH would: a path when it contains `/`, else the first
    /// executable file of that name on the environment's PATH. Nil when there is none.
    public func resolveExecutable(_ command: String, path: String? = nil) -> URL? {
        let fm = FileManager.default
        func executable(_ p: String) -> Bool {
            var isDirectory: ObjCBool = false
            return fm.fileExists(atPath: p, isDirectory: &isDirectory) && !isDirectory.boolValue && fm.isExecutableFile(atPath: p)
        }
        if command.contains("/") {
            let p = command.hasPrefix("/") ? command : "/" + command // cwd is "/"
            return executable(p) ? URL(fileURLWithPath: p) : nil
        }
        let searchPath = path ?? "\(binDirectory.path):\(systemPath)"
        for directory in searchPath.split(separator: ":") {
            let candidate = "\(directory)/\(command)"
            if executable(candidate) { return URL(fileURLWithPath: candidate) }
        }
        return nil
    }

    /// Replaces `prefix` where it is a whole path prefix: followed by `/`, the end, or a character
    /// that cannot continue a file name in a shell word or flag (space, quote, `:`, `,`, `;`…).
    static func replacePath(in text: String, _ prefix: String, with replacement: String) -> String {
        guard prefix != replacement, text.contains(prefix) else { return text }
        var out = ""
        var rest = Substring(text)
        while let range = rest.range(of: prefix) {
            out += rest[..<range.lowerBound]
            let after = rest[range.upperBound...]
            let boundary = after.first.map { !($0.isLetter || $0.isNumber || "-_.".contains($0)) } ?? true
            out += boundary ? replacement : prefix
            rest = after
        }
        return out + rest
    }

    /// The first host address of an IPv4 CIDR (`10.96.0.0/12` → `10.96.0.1`): the
    /// `kubernetes` Service's ClusterIP. Nil for anything else.
    static func firstServiceIP(_ cidrs: String) -> String? {
        guard let first = cidrs.split(separator: ",").first,
              let address = first.split(separator: "/").first else { return nil }
        let octets = address.split(separator: ".").compactMap { UInt32($0) }
        guard octets.count == 4, octets.allSatisfy({ $0 < 256 }) else { return nil }
        let value = octets.reduce(0) { $0 << 8 | $1 } + 1
        return [24, 16, 8, 0].map { String(value >> UInt32($0) & 0xff) }.joined(separator: ".")
    }
}
