import ArgumentParser
import Foundation
import KetchBootstrap
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// `ketch up`: a control plane in the foreground, as `kind create cluster` gives one and as the
/// kubelet runs kubeadm's static Pods: init the state directory when it has no cluster, run etcd
/// and the apiserver from their manifests as supervised children of this process, wait until
/// they are ready, say how to use them, and stop them on Ctrl-C.
///
/// Foundation's `Process` makes each child the leader of a process group of its own, so a
/// terminal's Ctrl-C reaches only `ketch up`, which then stops the children in order (apiserver,
/// then etcd) rather than having them all race to exit at once.
struct UpCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "up",
        abstract: "Bring up a local control plane: init the state directory if needed, then run its etcd and kube-apiserver.",
        usage: "ketch up [--state-dir <dir>] [<cluster options>] [--timeout <duration>]",
        discussion: """
            Does in the foreground what kubeadm and the kubelet do on a control-plane node:

              init       When the state directory has no cluster yet (no admin.conf,
                         static Pod manifests or etcd data), run "ketch init" with the
                         cluster options. An existing cluster is used as it is.
              etcd       Run kubernetes/manifests/etcd.yaml's command as "ketch etcd …";
                         wait for /readyz on its --listen-metrics-urls.
              apiserver  Run kubernetes/manifests/kube-apiserver.yaml's command as
                         "ketch apiserver …"; wait for its secure port.

            kube-controller-manager and kube-scheduler are not run: Ketch has no
            such components.

            Components write to STATE/logs/<component>.log. One that exits on its
            own is restarted after 1s, 2s, 4s … up to 10s. Ctrl-C or SIGTERM stops
            the apiserver, then etcd (SIGTERM; SIGKILL after 5s), and exits 0. On
            Linux the components get SIGTERM too if "ketch up" itself is killed.

            One "ketch up" per state directory (it locks STATE/run/up.pid). Data
            stays in STATE/etcd across runs; "ketch reset" removes the cluster.

            Examples:
              # A cluster in ~/.ketch, made on first use
              ketch up

              # A second cluster beside it, on other ports
              ketch up --state-dir /tmp/c2 --etcd-client-port 12379 \\
                --etcd-metrics-port 12381 --apiserver-bind-port 16443
            """,
        subcommands: [ExecChildCommand.self]
    )

    @OptionGroup(title: "Cluster options (as for \"ketch init\"; used to make the cluster when there is none)")
    var options: InitOptions

    @Option(help: "How long to wait for each component to become ready (a duration: 60s, 2m).")
    var timeout = "60s"

    func run() async throws {
        guard let readyTimeout = GoDuration.parse(timeout), readyTimeout > .zero else {
            throw ValidationError("invalid --timeout \"\(timeout)\": use a duration such as 60s or 2m")
        }
        let layout = options.layout
        try StateDirectory.prepare(layout.root)
        let lock = try UpLock(runDirectory: layout.root + "/run")
        defer { lock.release() }
        // From here on Ctrl-C is ours: it stops what has been started, then `ketch up` exits 0.
        let shutdown = ShutdownRequest()
        let signals = SignalWatcher(signals: [SIGINT, SIGTERM, SIGHUP]) { shutdown.request($0) }
        defer { signals.cancel() }

        if Self.hasCluster(layout) {
            progress("[up] Using the cluster in \"\(layout.root)\" (already initialized; cluster options only shape a new one)")
        } else {
            progress("[up] No cluster in \"\(layout.root)\" yet: running \"ketch init\"")
            try await initialize()
        }
        if let signal = shutdown.requested {
            progress("[up] Received \(signalName(signal)); exiting")
            return
        }

        let etcd = try StaticPodCommand(manifestPath: layout.manifest(.etcd))
        let apiserver = try StaticPodCommand(manifestPath: layout.manifest(.kubeAPIServer))
        let hasAPIServer = KetchCommand.configuration.subcommands.contains { $0._commandName == apiserver.subcommand }
        progress("[up] kube-controller-manager and kube-scheduler are not run: Ketch has no such components")
        if !hasAPIServer {
            progress("[up] kube-apiserver is not run: this ketch has no \"\(apiserver.subcommand)\" command yet (etcd only)")
        }

        let logDirectory = layout.root + "/logs"
        try FileManager.default.createDirectory(atPath: logDirectory, withIntermediateDirectories: true)
        let spawner = SpawnThread()
        let executable = Self.executablePath
        func supervised(_ command: StaticPodCommand) -> SupervisedComponent {
            SupervisedComponent(
                command: command, logDirectory: logDirectory, executable: executable,
                workingDirectory: layout.root, spawner: spawner)
        }
        var plan = [(supervised(etcd), Readiness.etcd(etcd))]
        if hasAPIServer { plan.append((supervised(apiserver), Readiness.apiserver(apiserver))) }

        // etcd first, the apiserver once etcd is ready: it needs etcd to serve anything.
        let clock = ContinuousClock()
        let started = clock.now
        var running: [SupervisedComponent] = []
        do {
            for (component, readiness) in plan {
                progress("[wait-control-plane] Waiting for \(component.name) at \(readiness) (up to \(readyTimeout.secondsText)); log: \(component.logPath)")
                component.start()
                running.append(component)
                let began = clock.now
                try await readiness.wait(for: component, timeout: readyTimeout, shutdown: shutdown)
                progress("[up] \(component.name) is ready after \((clock.now - began).secondsText)")
            }
        } catch let interrupted as Interrupted {
            progress("[up] Received \(signalName(interrupted.signal)) before the control plane was ready; stopping it")
            await Self.stop(running)
            return
        } catch {
            await Self.stop(running)
            throw error
        }

        progress(summary(layout: layout, etcd: etcd, apiserver: hasAPIServer ? apiserver : nil, readyIn: clock.now - started))
        let signal = await shutdown.wait()
        progress("[up] Received \(signalName(signal)); stopping the control plane")
        await Self.stop(running)
        progress("[up] Stopped")
    }

    /// Whether `ketch init` has run to the end here: the admin kubeconfig, the two manifests
    /// `ketch up` runs and the etcd data directory exist.
    static func hasCluster(_ layout: StateLayout) -> Bool {
        [layout.kubeconfig(.admin), layout.manifest(.etcd), layout.manifest(.kubeAPIServer), layout.etcdDataDirectory]
            .allSatisfy { FileManager.default.fileExists(atPath: $0) }
    }

    /// `ketch init` with these options, printing its progress as `ketch init` does.
    private func initialize() async throws {
        let phases = InitPhase.allCases.map { ($0, $0 == .etcd ? "local" : "all") }
        let runner = try InitRunner(options: options, phases: phases)
        progress("[init] Using Kubernetes version: \(runner.controlPlane.release)")
        for (phase, sub) in phases {
            try await runner.run(phase, sub)
        }
    }

    /// Stops components in reverse start order: the apiserver before the etcd it uses.
    private static func stop(_ components: [SupervisedComponent]) async {
        for component in components.reversed() {
            progress("[up] Stopping \(component.name)")
            if await component.stop() {
                progress("[up] \(component.name) did not stop within 5s; killed it")
            }
        }
    }

    private func summary(layout: StateLayout, etcd: StaticPodCommand, apiserver: StaticPodCommand?, readyIn: Duration) -> String {
        let pki = layout.pki.directory
        let endpoint = etcd.urls(of: "listen-client-urls").first.flatMap { url in
            DialAddress(url, defaultPort: 2379).map { "\(url.scheme ?? "https")://\($0)" }
        } ?? "https://127.0.0.1:\(options.etcdClientPort)"
        // The apiserver's own etcd client credentials, as the manifest names them.
        let cacert = apiserver?.value(of: "etcd-cafile") ?? pki + "/etcd/ca.crt"
        let cert = apiserver?.value(of: "etcd-certfile") ?? pki + "/apiserver-etcd-client.crt"
        let key = apiserver?.value(of: "etcd-keyfile") ?? pki + "/apiserver-etcd-client.key"
        var lines = [
            "",
            "Your Ketch control plane is up (ready in \(readyIn.secondsText)).",
            "",
        ]
        if apiserver != nil {
            lines += [
                "To use it:",
                "  export KUBECONFIG=\(layout.kubeconfig(.admin))",
                "  kubectl get pods -n kube-system",
            ]
        } else {
            lines += ["kube-apiserver is not running (this ketch has no apiserver command yet); etcd serves the cluster's /registry."]
        }
        lines += [
            "etcd:",
            "  etcdctl --endpoints=\(endpoint) --cacert=\(cacert) --cert=\(cert) --key=\(key) get /registry --prefix --keys-only",
            "Logs: \(layout.root)/logs/   Stop: Ctrl-C",
        ]
        return lines.joined(separator: "\n")
    }

    /// This executable, for the children: the resolved `/proc/self/exe` on Linux (minus the
    /// " (deleted)" the kernel adds after a rebuild replaced the file, so restarts run the new
    /// build), else Foundation's idea of it, else `argv[0]` made absolute.
    static var executablePath: String {
        #if os(Linux)
        if var path = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") {
            if path.hasSuffix(" (deleted)") { path.removeLast(" (deleted)".count) }
            return path
        }
        #endif
        if let path = Bundle.main.executablePath { return path }
        let first = CommandLine.arguments[0]
        return first.hasPrefix("/") ? first : FileManager.default.currentDirectoryPath + "/" + first
    }
}

/// How `ketch up` decides a component is ready.
enum Readiness: CustomStringConvertible {
    /// `GET path` over plain HTTP answers 200 (etcd's metrics listener); `fallback` is tried when
    /// the first path is not found (older servers have /health but no /readyz).
    case http(DialAddress, path: String, fallback: String)
    /// A TCP connection opens.
    case tcp(DialAddress, scheme: String)

    /// etcd: /readyz on the first plain-HTTP metrics URL; without one, a connection to the client port.
    static func etcd(_ command: StaticPodCommand) -> Readiness {
        if let metrics = command.urls(of: "listen-metrics-urls").first(where: { $0.scheme == "http" }),
           let address = DialAddress(metrics, defaultPort: 2381) {
            return .http(address, path: "/readyz", fallback: "/health")
        }
        let client = command.urls(of: "listen-client-urls").first
        return .tcp(client.flatMap { DialAddress($0, defaultPort: 2379) } ?? DialAddress(host: "127.0.0.1", port: 2379),
                    scheme: client?.scheme ?? "https")
    }

    /// kube-apiserver: its secure port accepts connections. Its /readyz is HTTPS under the
    /// cluster CA, which Foundation's URLSession on Linux cannot be told to trust, and `ketch up`
    /// adds no TLS client of its own; the apiserver opens the port once it serves.
    static func apiserver(_ command: StaticPodCommand) -> Readiness {
        let port = command.value(of: "secure-port").flatMap(Int.init) ?? 6443
        let bind = command.value(of: "bind-address")
        let host = bind.flatMap { $0 == "0.0.0.0" || $0 == "::" ? nil : $0 } ?? command.value(of: "advertise-address") ?? "127.0.0.1"
        return .tcp(DialAddress(host: host, port: port), scheme: "https")
    }

    var description: String {
        switch self {
        case .http(let address, let path, _): return "http://\(address)\(path)"
        case .tcp(let address, let scheme): return "\(scheme)://\(address) (TCP connect)"
        }
    }

    /// One check.
    func check() async -> Bool {
        switch self {
        case .http(let address, let path, let fallback):
            switch await ReadinessProbe.httpStatus(of: address, path: path) {
            case 200: return true
            case 404: return await ReadinessProbe.httpStatus(of: address, path: fallback) == 200
            default: return false
            }
        case .tcp(let address, _):
            return await ReadinessProbe.connects(to: address)
        }
    }

    /// Checks every 100 ms until ready; throws `Interrupted` on a signal, `UpError` (with the
    /// component's last log lines) after `timeout`.
    func wait(for component: SupervisedComponent, timeout: Duration, shutdown: ShutdownRequest) async throws {
        let clock = ContinuousClock()
        let deadline = clock.now + timeout
        while true {
            if let signal = shutdown.requested { throw Interrupted(signal: signal) }
            if component.isRunning, await check() { return }
            if clock.now >= deadline {
                throw UpError("""
                    \(component.name) did not become ready within \(timeout.secondsText) (checked \(self)).
                    Read its log, \(component.logPath); its last lines:
                    \(component.logTail())
                    """)
            }
            try? await Task.sleep(for: .milliseconds(100))
        }
    }
}

/// A signal arrived while `ketch up` was still bringing the control plane up.
struct Interrupted: Error {
    let signal: Int32
}

/// The stop request Ctrl-C, SIGTERM or SIGHUP makes: polled while starting, awaited once up.
final class ShutdownRequest: Sendable {
    private let signal = Mutex<Int32?>(nil)
    private let stream: AsyncStream<Int32>
    private let continuation: AsyncStream<Int32>.Continuation

    init() {
        (stream, continuation) = AsyncStream.makeStream(of: Int32.self)
    }

    /// The first signal received, if any.
    var requested: Int32? { signal.withLock { $0 } }

    func request(_ number: Int32) {
        let first = signal.withLock { current -> Bool in
            guard current == nil else { return false }
            current = number
            return true
        }
        if first { continuation.yield(number) }
    }

    /// Waits for the first signal.
    func wait() async -> Int32 {
        for await number in stream { return number }
        return requested ?? SIGTERM
    }
}

private func signalName(_ number: Int32) -> String {
    switch number {
    case SIGINT: return "SIGINT"
    case SIGTERM: return "SIGTERM"
    case SIGHUP: return "SIGHUP"
    default: return "signal \(number)"
    }
}

/// Prints a line of `ketch up`'s progress at once. stdout is block-buffered when it is a pipe (a
/// test, `tee`), and `fflush(NULL)` flushes it (and whatever `ketch init`'s phases printed before)
/// without naming the C `stdout` global, which Swift 6 refuses as shared mutable state.
func progress(_ line: String) {
    print(line)
    fflush(nil)
}
