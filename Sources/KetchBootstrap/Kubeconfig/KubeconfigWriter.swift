import Foundation

/// Writes kubeadm's kubeconfig files into a state directory, mode 0600.
public struct KubeconfigWriter: Sendable {
    /// What `ensure` did with a file.
    public enum Outcome: Sendable, Equatable {
        case written
        /// A file for the same CA and server was there and was left alone, as kubeadm does.
        case kept
    }

    /// Names the files.
    public let layout: StateLayout
    /// The cluster's name in every file (kubeadm: `kubernetes`).
    public let clusterName: String

    public init(layout: StateLayout, clusterName: String = "kubernetes") {
        self.layout = layout
        self.clusterName = clusterName
    }

    /// The kubeconfig for `file` without writing it.
    public func kubeconfig(_ file: KubeconfigFile, nodeName: String, server: String, caPEM: String,
                           credentials: ClientCredentials) -> Kubeconfig {
        Kubeconfig(clusterName: clusterName, server: server, caPEM: caPEM,
                   user: file.identity(nodeName: nodeName).commonName, credentials: credentials)
    }

    /// Writes `file`, replacing whatever is there. Returns its path.
    @discardableResult
    public func write(_ file: KubeconfigFile, nodeName: String, server: String, caPEM: String,
                      credentials: ClientCredentials) throws -> String {
        let path = layout.kubeconfig(file)
        let text = try kubeconfig(file, nodeName: nodeName, server: server, caPEM: caPEM, credentials: credentials).yaml()
        try SecureFile.write(Data(text.utf8), to: path, mode: 0o600)
        return path
    }

    /// kubeadm's rule for re-runs: an existing file for the same CA and server is kept (and
    /// `credentials` is never called, so no key is made for it); a file for another CA or server is
    /// an error, never overwritten; a missing file is written.
    public func ensure(_ file: KubeconfigFile, nodeName: String, server: String, caPEM: String,
                       credentials: () throws -> ClientCredentials) throws -> Outcome {
        if try existingMatches(file, server: server, caPEM: caPEM) { return .kept }
        try write(file, nodeName: nodeName, server: server, caPEM: caPEM, credentials: try credentials())
        return .written
    }

    /// Whether `file` exists for this CA and server.
    /// - Throws: `BootstrapError.kubeconfigMismatch` when it exists for another cluster or does not parse.
    public func existingMatches(_ file: KubeconfigFile, server: String, caPEM: String) throws -> Bool {
        let path = layout.kubeconfig(file)
        guard let data = FileManager.default.contents(atPath: path) else { return false }
        let existing: Kubeconfig
        do {
            existing = try Kubeconfig(yaml: String(decoding: data, as: UTF8.self))
        } catch {
            throw BootstrapError.kubeconfigMismatch(path: path, reason: "does not parse: \(error)")
        }
        guard let cluster = existing.currentCluster else {
            throw BootstrapError.kubeconfigMismatch(path: path, reason: "has no cluster for its current context")
        }
        guard cluster.certificateAuthorityData == Kubeconfig.base64(caPEM) else {
            throw BootstrapError.kubeconfigMismatch(path: path, reason: "has got the wrong CA cert")
        }
        guard cluster.server == server else {
            throw BootstrapError.kubeconfigMismatch(
                path: path, reason: "has an unexpected API Server URL: expected: \(server), got: \(cluster.server)")
        }
        return true
    }
}
