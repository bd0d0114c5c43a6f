import ArgumentParser
import Foundation
import KetchBootstrap
import KetchPKI

/// `ketch init`: what `kubeadm init` leaves on a control-plane node, in a state directory.
struct InitCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: "Run this command in order to set up the Kubernetes control plane.",
        discussion: """
            The "init" command executes the following phases:
              certs          Certificate generation (CAs, serving and client certificates, the sa key pair)
              kubeconfig     Generate all kubeconfig files necessary to establish the control plane and the admin kubeconfig file
              etcd           Generate static Pod manifest file for local etcd
              control-plane  Generate all static Pod manifest files necessary to establish the control plane
              registry       Preload the store with the /registry keys of a fresh cluster

            Files go to the state directory, laid out as kubeadm's /etc/kubernetes (STATE/kubernetes)
            and /var/lib/etcd (STATE/etcd). Existing CAs, keys and kubeconfigs are kept.
            """,
        subcommands: [InitPhaseCommand.self]
    )

    @OptionGroup var options: InitOptions

    @Flag(help: "Don't apply any changes; write the files to a temporary directory and show it.")
    var dryRun = false

    @Option(help: "List of phases to be skipped (comma-separated).")
    var skipPhases: String?

    func run() async throws {
        let started = ContinuousClock.now
        var options = options
        if dryRun {
            let temp = NSTemporaryDirectory() + "ketch-init-dryrun-\(UUID().uuidString.prefix(8))"
            print("[dryrun] Writing the files to the temporary directory \"\(temp)\" instead of \"\(options.resolvedStateDir)\"")
            options.stateDir = temp
        }
        let skipped = Set((skipPhases ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) })
        if let unknown = skipped.first(where: { InitPhase(rawValue: $0) == nil && !$0.isEmpty }) {
            throw ValidationError("unknown phase \"\(unknown)\" in --skip-phases; phases are: \(InitPhase.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        let phases = InitPhase.allCases.filter { !skipped.contains($0.rawValue) }.map { ($0, $0 == .etcd ? "local" : "all") }
        try StateDirectory.prepare(options.resolvedStateDir)
        let runner = try InitRunner(options: options, phases: phases)
        print("[init] Using Kubernetes version: \(runner.controlPlane.release)")
        for (phase, sub) in phases {
            try await runner.run(phase, sub)
        }
        let elapsed = ContinuousClock.now - started
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        let layout = runner.layout
        print("""

            Your Kubernetes control-plane has initialized successfully! (\(String(format: "%.2f", seconds)) s)

            To serve its etcd as the static Pod manifest says, run:

              ketch \(etcdCommand(layout))

            To use it, run:

              export KUBECONFIG=\(layout.kubeconfig(.admin))

            etcd with the generated certificates:

              etcdctl --endpoints=https://127.0.0.1:\(options.etcdClientPort) \\
                --cacert=\(layout.pki.directory)/etcd/ca.crt \\
                --cert=\(layout.pki.directory)/apiserver-etcd-client.crt \\
                --key=\(layout.pki.directory)/apiserver-etcd-client.key \\
                get /registry --prefix --keys-only
            """)
    }
}

/// The etcd manifest's command line, for `ketch` (its first word, `etcd`, is the subcommand).
private func etcdCommand(_ layout: StateLayout) -> String {
    let command = (try? StaticPodManifest(contentsOf: layout.manifest(.etcd)).command) ?? ["etcd"]
    return command.joined(separator: " ")
}

/// `ketch init phase NAME [SUB]`: one phase alone, as kubeadm's.
struct InitPhaseCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "phase",
        abstract: "Use this command to invoke single phase of the init workflow.",
        discussion: "Phases: certs [all|ca|apiserver|…|sa], kubeconfig [all|admin|super-admin|kubelet|controller-manager|scheduler], etcd [local], control-plane [all|apiserver|controller-manager|scheduler], registry."
    )

    @Argument(help: "The phase: certs, kubeconfig, etcd, control-plane or registry.")
    var phase: InitPhase

    @Argument(help: "The sub-phase (default: all; etcd's is local).")
    var subPhase: String?

    @OptionGroup var options: InitOptions

    func run() async throws {
        let sub = subPhase ?? (phase == .etcd ? "local" : "all")
        try StateDirectory.prepare(options.resolvedStateDir)
        let runner = try InitRunner(options: options, phases: [(phase, sub)])
        try await runner.run(phase, sub)
    }
}

/// Checks that the state directory can be written before any phase runs.
enum StateDirectory {
    static func prepare(_ path: String) throws {
        do {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        } catch {
            throw ValidationError("cannot create the state directory \(path): \(error.localizedDescription)")
        }
        guard FileManager.default.isWritableFile(atPath: path) else {
            throw ValidationError("the state directory \(path) is not writable")
        }
    }
}
