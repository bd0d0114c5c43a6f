import Foundation
import class KetchPKI.Certificate
import KubeCore
import NIOCore
import NIOSSL

/// Who sent a request: the verified client certificate (CN = user, O = groups), else a
/// service-account bearer token; requests with neither are anonymous.
///
/// The TLS handshake already verified a presented certificate against `--client-ca-file`
/// (the server asks for one but does not require it, as kube-apiserver does).
struct Authenticator: Sendable {
    /// Verifies service-account JWTs; nil when no `--service-account-key-file` was given.
    let tokens: ServiceAccountTokenVerifier?

    /// The outcome of authenticating one request.
    enum Outcome: Sendable {
        /// Credentials were presented and are valid.
        case user(UserInfo)
        /// No credentials: `system:anonymous`.
        case anonymous
        /// Credentials were presented and are not valid: 401.
        case rejected
    }

    /// Authenticates a request from its connection and Authorization header.
    func authenticate(channel: any Channel, authorization: String?) async -> Outcome {
        if let certificate = await Self.peerCertificate(of: channel), let user = Self.user(from: certificate) {
            return .user(user)
        }
        if let header = authorization {
            let parts = header.split(separator: " ", maxSplits: 1)
            guard parts.count == 2, parts[0].lowercased() == "bearer" else { return .rejected }
            let token = String(parts[1]).trimmingCharacters(in: .whitespaces)
            if let user = tokens?.verify(token, now: Date()) { return .user(user) }
            return .rejected
        }
        return .anonymous
    }

    /// The user anonymous requests run as.
    static let anonymousUser = UserInfo(name: "system:anonymous", groups: ["system:unauthenticated"])

    /// The peer certificate of a TLS connection, read on the channel's event loop; an HTTP/2
    /// stream's is its connection's.
    static func peerCertificate(of channel: any Channel) async -> NIOSSLCertificate? {
        // An HTTP/2 stream's TLS handler is in its parent's (the connection's) pipeline.
        for candidate in [channel, channel.parent].compactMap({ $0 }) {
            let found = try? await candidate.eventLoop.submit {
                try candidate.pipeline.syncOperations.handler(type: NIOSSLServerHandler.self).peerCertificate
            }.get()
            if let found { return found }
        }
        return nil
    }

    /// CN and O of a client certificate as user name and groups.
    static func user(from certificate: NIOSSLCertificate) -> UserInfo? {
        guard let der = try? certificate.toDERBytes(), let subject = try? Certificate(der: der).subject,
              !subject.commonName.isEmpty else { return nil }
        var groups = subject.organizations
        if !groups.contains("system:authenticated") { groups.append("system:authenticated") }
        return UserInfo(name: subject.commonName, groups: groups)
    }
}
