import GoText
import ArgumentParser
import Foundation
import KetchBootstrap
import KetchControllers
import KetchUp

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
        abstract: "Bring up a local control plane: init the state directory if needed, then run etcd, kube-apiserver, kube-controller-manager and kube-scheduler.",
        usage: "ketch up [--state-dir <dir>] [<cluster options>] [--timeout <duration>]",
        discussion: """
            Does in the foreground what kubeadm and the kubelet do on a control-plane node:

              init       When the state directory has no cluster yet (no admin.conf,
                         static Pod manifests or etcd data), run "ketch init" with the
                         cluster options. An existing cluster is used as it is.
              etcd       Run kubernetes/manifests/etcd.yaml's command as "ketch etcd …";
                         wait for /readyz on its --listen-metrics-urls.
              apiserver  Run kubernetes/manifests/kube-apiserver.yaml's command as
                         "ketch apiserver …"; wait for its secure port. It also acts as
                         the node's kubelet: the Node, mirror Pods, and the simulated
                         lifecycle of every Pod bound to a simulated node.
              controller-manager, scheduler
                         Run kube-controller-manager.yaml's and kube-scheduler.yaml's
                         commands as "ketch controller-manager …" and "ketch scheduler …";
                         wait for their secure ports (10257, 10259).

            Components write to STATE/logs/<component>.log. One that exits on its
            own is restarted after 1s, 2s, 4s … up to 10s. Ctrl-C or SIGTERM stops
            the scheduler, the controller manager, the apiserver, then etcd (SIGTERM; SIGKILL after 5s), and exits 0. On
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

    @Option(help: "Simulated worker nodes to register (<node>-worker, <node>-worker2, …, as kind names them). With none, the control-plane node loses its NoSchedule taint so pods run there.")
    var nodes = 0

    @Option(help: "CPU capacity of each worker --nodes registers, as a quantity (4, 2500m).")
    var nodeCpu = WorkerNode.Capacity.default.cpu

    @Option(help: "Memory capacity of each worker --nodes registers, as a quantity (8Gi, 512Mi).")
    var nodeMemory = WorkerNode.Capacity.default.memory

    @Option(help: "The most pods each worker --nodes registers runs.")
    var nodePods = WorkerNode.Capacity.default.pods

    private var workerCapacity: WorkerNode.Capacity { WorkerNode.Capacity(cpu: nodeCpu, memory: nodeMemory, pods: nodePods) }

    func validate() throws {
        guard nodes >= 0 else { throw ValidationError("invalid --nodes \(nodes): give 0 or more workers") }
        if let bad = workerCapacity.invalidField { throw ValidationError("invalid worker capacity \(bad)") }
    }

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

        if layout.hasCluster {
            progress("[up] Using the cluster in \"\(layout.root)\" (already initialized; cluster options only shape a new one)")
        } else {
            progress("[up] No cluster in \"\(layout.root)\" yet: running \"ketch init\"")
            try await initialize()
        }
        if let signal = shutdown.requested {
            progress("[up] Received \(SignalName.describe(signal)); exiting")
            return
        }

        let etcd = try StaticPodCommand(manifestPath: layout.manifest(.etcd))
        let apiserver = try StaticPodCommand(manifestPath: layout.manifest(.kubeAPIServer))
        let controllerManager = try StaticPodCommand(manifestPath: layout.manifest(.kubeControllerManager))
        let scheduler = try StaticPodCommand(manifestPath: layout.manifest(.kubeScheduler))

        let busy = PortCheck.busy([etcd, apiserver, controllerManager, scheduler].flatMap(\.listenPorts))
        guard busy.isEmpty else {
            throw UpError(PortCheck.message(busy, manifests: layout.kubernetesDirectory + "/manifests"))
        }

        let logDirectory = layout.root + "/logs"
        try FileManager.default.createDirectory(atPath: logDirectory, withIntermediateDirectories: true)
        let spawner = SpawnThread()
        func supervised(_ command: StaticPodCommand) -> SupervisedComponent {
            SupervisedComponent(
                launch: command.launch(executable: CurrentExecutable.path, parentPID: getpid()),
                logDirectory: logDirectory, workingDirectory: layout.root, spawner: spawner)
        }
        let steps = [
            (supervised(etcd), Readiness.etcd(etcd)),
            (supervised(apiserver), Readiness.apiserver(apiserver)),
            (supervised(controllerManager), Readiness.securePort(controllerManager, defaultPort: 10257)),
            (supervised(scheduler), Readiness.securePort(scheduler, defaultPort: 10259)),
        ]

        // In kubeadm's order: etcd first, the apiserver once etcd is ready (it needs etcd to
        // serve anything), then the controller manager and the scheduler, its clients.
        let clock = ContinuousClock()
        let started = clock.now
        guard let running = try await StartSequence(steps).bringUp(readyTimeout: readyTimeout, shutdown: shutdown) else {
            return
        }
        progress(UpSummary.text(
            layout: layout, etcd: etcd, apiserver: apiserver, readyIn: clock.now - started,
            etcdClientPort: options.etcdClientPort))
        do {
            try await UpNodes(adminConf: layout.kubeconfig(.admin), controlPlane: options.resolvedNodeName, workers: nodes,
                            capacity: workerCapacity)
                .settle(timeout: readyTimeout)
        } catch {
            progress("[up] Could not settle the nodes: \(error) (the control plane keeps running)")
        }
        let signal = await shutdown.wait()
        progress("[up] Received \(SignalName.describe(signal)); stopping the control plane")
        await StartSequence.stop(running)
        progress("[up] Stopped")
    }

    /// The pod network of a cluster `ketch up` makes without `--pod-network-cidr` (kind's).
    static let defaultPodNetwork = "10.244.0.0/16"

    /// `ketch init` with these options, printing its progress as `ketch init` does.
    private func initialize() async throws {
        let phases = InitPhase.allCases.map { ($0, $0 == .etcd ? "local" : "all") }
        // kind's default pod network, so node-ipam hands every node a podCIDR for its pods' IPs.
        var options = options
        if options.podNetworkCidr == nil { options.podNetworkCidr = Self.defaultPodNetwork }
        let runner = try InitRunner(options: options, phases: phases)
        progress("[init] Using Kubernetes version: \(runner.controlPlane.release)")
        for (phase, sub) in phases {
            try await runner.run(phase, sub)
        }
    }
}
