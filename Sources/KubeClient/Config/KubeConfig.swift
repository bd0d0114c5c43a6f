import Foundation
import Yams

/// What a client needs from a kubeconfig, resolved for one context: the server, the CA that
/// vouches for it and the user's credentials, as client-go's `clientcmd` reads them.
/// Relative file paths resolve against the kubeconfig's directory; `*-data` fields win over
/// their file counterparts.
public struct KubeConfig: Sendable, Equatable {
    /// The file it was read from, for messages ("" when built from text).
    public var source: String
    /// The context used (`current-context` unless another was asked for).
    public var contextName: String
    /// `clusters[].cluster.server`, e.g. `https://127.0.0.1:6443`.
    public var server: URL
    /// PEM of the CA bundle to verify the server with; nil to use the system's roots.
    public var certificateAuthorityPEM: Data?
    /// `insecure-skip-tls-verify`.
    public var insecureSkipTLSVerify: Bool
    /// PEM of the client certificate (chain), when the user authenticates with one.
    public var clientCertificatePEM: Data?
    /// PEM of the client certificate's private key.
    public var clientKeyPEM: Data?
    /// A bearer token (`token`, or the contents of `tokenFile`).
    public var bearerToken: String?
    /// The context's default namespace, if it names one.
    public var namespace: String?

    /// A configuration with the given parts.
    public init(source: String = "", contextName: String = "", server: URL, certificateAuthorityPEM: Data? = nil,
                insecureSkipTLSVerify: Bool = false, clientCertificatePEM: Data? = nil,
                clientKeyPEM: Data? = nil, bearerToken: String? = nil, namespace: String? = nil) {
        self.source = source
        self.contextName = contextName
        self.server = server
        self.certificateAuthorityPEM = certificateAuthorityPEM
        self.insecureSkipTLSVerify = insecureSkipTLSVerify
        self.clientCertificatePEM = clientCertificatePEM
        self.clientKeyPEM = clientKeyPEM
        self.bearerToken = bearerToken
        self.namespace = namespace
    }

    /// Reads the kubeconfig at `path` and resolves `context` (default: its `current-context`).
    /// - Throws: ``KubeConfigError`` naming the file and the field.
    public static func load(path: String, context: String? = nil) throws -> KubeConfig {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw KubeConfigError("\(path): cannot read kubeconfig: \(Self.reason(error))")
        }
        let directory = URL(fileURLWithPath: path).deletingLastPathComponent().path
        return try KubeConfig(yaml: text, directory: directory, source: path, context: context)
    }

    /// Resolves `context` (default: `current-context`) of kubeconfig text; relative paths in it
    /// resolve against `directory`, and messages name `source`.
    /// - Throws: ``KubeConfigError``.
    public init(yaml: String, directory: String, source: String = "kubeconfig", context: String? = nil) throws {
        let file: KubeConfigFile
        do {
            file = try YAMLDecoder().decode(KubeConfigFile.self, from: yaml)
        } catch {
            throw KubeConfigError("\(source): not a valid kubeconfig: \(error)")
        }
        let resolver = KubeConfigResolver(source: source, directory: directory)
        self = try resolver.resolve(file, context: context)
    }

    /// The text of an I/O error without Foundation's domain and code.
    static func reason(_ error: any Error) -> String {
        (error as NSError).localizedFailureReason ?? (error as NSError).localizedDescription
    }
}
