import ArgumentParser
import Foundation

/// `ketch reset`: removes what `ketch init` made (kubeadm reset's counterpart).
struct ResetCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reset",
        abstract: "Performs a best effort revert of changes made to this host by 'ketch init'.")

    @Option(help: "The state directory to clean. Env: KETCH_STATE_DIR. (default: ~/.ketch)")
    var stateDir: String?

    @Flag(name: [.short, .long], help: "Reset the node without prompting for confirmation.")
    var force = false

    func run() throws {
        var options = try InitOptions.parse([])
        options.stateDir = stateDir
        let layout = options.layout
        print("[reset] Reading state from \"\(layout.root)\"")
        if !force {
            print("[reset] Are you sure you want to proceed? [y/N]: ", terminator: "")
            guard let answer = readLine(), answer.lowercased().hasPrefix("y") else {
                throw ValidationError("aborted reset operation")
            }
        }
        let fm = FileManager.default
        print("[reset] Deleting contents of directories: [\(layout.manifestsDirectory) \(layout.etcdDataDirectory)]")
        for path in [layout.etcdDataDirectory, layout.kubernetesDirectory] where fm.fileExists(atPath: path) {
            do {
                try fm.removeItem(atPath: path)
            } catch {
                throw ValidationError("failed to remove \(path): \(error.localizedDescription)")
            }
        }
        print("[reset] Deleted the certificates, kubeconfig files, manifests and etcd data under \"\(layout.root)\"")
    }
}
