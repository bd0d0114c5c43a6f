import Foundation

/// Turns a decoded kubeconfig into a ``KubeConfig`` for one context: follows the context to
/// its cluster and user, reads referenced files and decodes base64 data, and reports each
/// failure with the file and the field.
struct KubeConfigResolver {
    /// The kubeconfig's path, for messages.
    var source: String
    /// Where relative paths start.
    var directory: String

    func resolve(_ file: KubeConfigFile, context wanted: String?) throws -> KubeConfig {
        guard let contextName = wanted ?? file.currentContext, !contextName.isEmpty else {
            throw KubeConfigError("\(source): current-context is not set and no context was given")
        }
        guard let context = file.contexts?.first(where: { $0.name == contextName })?.value else {
            throw KubeConfigError("\(source): context \"\(contextName)\" does not exist (contexts[].name)")
        }
        let contextField = "contexts[\"\(contextName)\"].context"
        guard let clusterName = context.cluster, !clusterName.isEmpty else {
            throw KubeConfigError("\(source): \(contextField).cluster is not set")
        }
        guard let cluster = file.clusters?.first(where: { $0.name == clusterName })?.value else {
            throw KubeConfigError("\(source): cluster \"\(clusterName)\" named by \(contextField).cluster does not exist")
        }
        let clusterField = "clusters[\"\(clusterName)\"].cluster"
        guard let serverText = cluster.server, !serverText.isEmpty else {
            throw KubeConfigError("\(source): \(clusterField).server is not set")
        }
        guard let server = URL(string: serverText), let scheme = server.scheme, ["https", "http"].contains(scheme),
              server.host != nil else {
            throw KubeConfigError("\(source): \(clusterField).server: \"\(serverText)\" is not an http(s) URL")
        }
        var config = KubeConfig(source: source, contextName: contextName, server: server,
                                insecureSkipTLSVerify: cluster.insecureSkipTLSVerify ?? false, namespace: context.namespace)
        config.certificateAuthorityPEM = try content(data: cluster.certificateAuthorityData, file: cluster.certificateAuthority,
                                                     field: clusterField + ".certificate-authority")
        if let userName = context.user, !userName.isEmpty {
            guard let user = file.users?.first(where: { $0.name == userName })?.value else {
                throw KubeConfigError("\(source): user \"\(userName)\" named by \(contextField).user does not exist")
            }
            let userField = "users[\"\(userName)\"].user"
            config.clientCertificatePEM = try content(data: user.clientCertificateData, file: user.clientCertificate,
                                                      field: userField + ".client-certificate")
            config.clientKeyPEM = try content(data: user.clientKeyData, file: user.clientKey, field: userField + ".client-key")
            if (config.clientCertificatePEM == nil) != (config.clientKeyPEM == nil) {
                throw KubeConfigError("\(source): \(userField): client-certificate and client-key must be given together")
            }
            if let token = user.token, !token.isEmpty {
                config.bearerToken = token
            } else if let tokenFile = user.tokenFile, !tokenFile.isEmpty,
                      let data = try content(data: nil, file: tokenFile, field: userField + ".tokenFile") {
                config.bearerToken = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            }
        }
        return config
    }

    /// The bytes of a `<field>-data` (base64) or `<field>` (a path) pair; the data wins, as in
    /// client-go.
    private func content(data: String?, file: String?, field: String) throws -> Data? {
        if let data, !data.isEmpty {
            guard let decoded = Data(base64Encoded: data, options: .ignoreUnknownCharacters) else {
                throw KubeConfigError("\(source): \(field)-data is not valid base64")
            }
            return decoded
        }
        guard let file, !file.isEmpty else { return nil }
        let path = file.hasPrefix("/") ? file : URL(fileURLWithPath: directory).appendingPathComponent(file).path
        do {
            return try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw KubeConfigError("\(source): \(field): cannot read \(path): \(KubeConfig.reason(error))")
        }
    }
}
