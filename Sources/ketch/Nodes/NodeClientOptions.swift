import ArgumentParser
import Foundation
import KetchBootstrap
import KubeClient

/// How `ketch node` reaches the cluster: `--kubeconfig`, else the admin kubeconfig of the
/// state directory (`--state-dir`, `KETCH_STATE_DIR` or `~/.ketch`, as `ketch init` resolves it).
struct NodeClientOptions: ParsableArguments {
    @Option(help: "Path to the kubeconfig file to use. (default: STATE/kubernetes/admin.conf)")
    var kubeconfig: String?

    @Option(help: "The cluster's state directory, whose kubernetes/admin.conf is used. Env: KETCH_STATE_DIR. (default: ~/.ketch)")
    var stateDir: String?

    /// The kubeconfig in use.
    var kubeconfigPath: String {
        if let kubeconfig { return (kubeconfig as NSString).expandingTildeInPath }
        let raw = stateDir ?? ProcessInfo.processInfo.environment["KETCH_STATE_DIR"] ?? (NSHomeDirectory() + "/.ketch")
        let root = URL(fileURLWithPath: (raw as NSString).expandingTildeInPath).standardizedFileURL
        return root.appendingPathComponent("kubernetes/admin.conf").path
    }

    /// A client of the cluster's apiserver.
    func client() throws -> HTTPKubeAPI {
        let path = kubeconfigPath
        guard FileManager.default.fileExists(atPath: path) else {
            throw NodeCommandError("no kubeconfig at \(path): run \"ketch up\" (or \"ketch init\") first, or give --kubeconfig or --state-dir")
        }
        return try HTTPKubeAPI(config: try KubeConfig.load(path: path), userAgent: "ketch-node/\(KubernetesRelease.default)")
    }

    /// Runs `body` with a client, closing it afterwards.
    func withClient<T>(_ body: (HTTPKubeAPI) async throws -> T) async throws -> T {
        let api = try client()
        do {
            let result = try await body(api)
            try? await api.shutdown()
            return result
        } catch {
            try? await api.shutdown()
            throw error
        }
    }
}

/// A failure of a `ketch node` command (printed as `Error: …`, exit status 1).
struct NodeCommandError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
