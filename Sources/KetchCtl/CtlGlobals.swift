import EtcdClient
import Foundation
import GoText

/// etcdctl's global settings: flags, else ETCDCTL_* variables, else defaults.
struct CtlGlobals {
    var endpoints: [String]
    var writeOut: String
    var hex: Bool
    var dialTimeout: Duration
    var commandTimeout: Duration
    var caFile: String?
    var certFile: String?
    var keyFile: String?
    var insecureSkipVerify: Bool
    var user: String?
    var password: String?

    init(_ args: CtlParsedArguments, environment: [String: String]) throws {
        func setting(_ name: String) -> String? {
            if let v = args.value(name) { return v }
            let variable = "ETCDCTL_" + name.uppercased().replacingOccurrences(of: "-", with: "_")
            if let v = environment[variable] { return v }
            return nil
        }
        func boolSetting(_ name: String) throws -> Bool {
            if let b = args.bools[name] { return b }
            let variable = "ETCDCTL_" + name.uppercased().replacingOccurrences(of: "-", with: "_")
            guard let v = environment[variable] else { return false }
            switch v.lowercased() {
            case "true", "1", "t": return true
            case "false", "0", "f", "": return false
            default: throw CtlFailure(CtlExit.error, "invalid value \"\(v)\" for \(variable)")
            }
        }
        func duration(_ name: String, _ fallback: Duration) throws -> Duration {
            guard let text = setting(name) else { return fallback }
            guard let d = GoDuration.parse(text) else {
                throw CtlFailure(CtlExit.error, "invalid argument \"\(text)\" for \"--\(name)\" flag: time: invalid duration \"\(text)\"")
            }
            return d
        }
        endpoints = (setting("endpoints") ?? "127.0.0.1:2379").split(separator: ",").map {
            $0.trimmingCharacters(in: .whitespaces)
        }.filter { !$0.isEmpty }
        writeOut = setting("write-out") ?? "simple"
        hex = try boolSetting("hex")
        dialTimeout = try duration("dial-timeout", .seconds(2))
        commandTimeout = try duration("command-timeout", .seconds(5))
        caFile = setting("cacert")
        certFile = setting("cert")
        keyFile = setting("key")
        insecureSkipVerify = try boolSetting("insecure-skip-tls-verify")
        user = setting("user")
        password = setting("password")
        if let u = user, password == nil, let colon = u.firstIndex(of: ":") {
            user = String(u[..<colon])
            password = String(u[u.index(after: colon)...])
        }
    }

    /// The client configuration for `endpoints` (all, or one for per-endpoint commands).
    func clientConfiguration(endpoints: [String]? = nil) -> EtcdClientConfiguration {
        EtcdClientConfiguration(
            endpoints: endpoints ?? self.endpoints, caFile: caFile, certFile: certFile, keyFile: keyFile,
            insecureSkipVerify: insecureSkipVerify, dialTimeout: min(dialTimeout, commandTimeout),
            requestTimeout: commandTimeout, username: user, password: password)
    }

    /// Runs `body` with a client for `endpoints` (default: all), closing it after; errors become
    /// etcdctl's messages.
    func withClient<R: Sendable>(endpoints: [String]? = nil, _ body: (EtcdClient) async throws -> R) async throws -> R {
        do {
            return try await Self.withClient(clientConfiguration(endpoints: endpoints), body)
        } catch {
            throw CtlCommand.failure(error, endpoints: endpoints ?? self.endpoints)
        }
    }

    /// Runs `body` with a client of `configuration`, closing it after; `body`'s errors pass through.
    static func withClient<R: Sendable>(_ configuration: EtcdClientConfiguration,
                                        _ body: (EtcdClient) async throws -> R) async throws -> R {
        let client: EtcdClient
        do {
            client = try EtcdClient.lazy(configuration)
        } catch let error as EtcdClientError {
            throw CtlFailure(CtlExit.badArgs, error.description)
        }
        do {
            let result = try await body(client)
            await client.close()
            return result
        } catch {
            await client.close()
            throw error
        }
    }

    /// A client whose calls have no deadline, as etcdctl's streams, concurrency commands and load
    /// checks use (`context.Background()`); a configuration it cannot use is a bad-arguments failure.
    func unlimitedClient(endpoints: [String]? = nil) throws -> EtcdClient {
        var configuration = clientConfiguration(endpoints: endpoints)
        configuration.requestTimeout = nil
        do {
            return try EtcdClient.lazy(configuration)
        } catch {
            throw CtlFailure(CtlExit.badArgs, "\(error)")
        }
    }

    /// Runs `body` with an ``unlimitedClient(endpoints:)``, closing it after; an error that is not
    /// already etcdctl's (`CtlFailure`) becomes `failure(error)`.
    func withUnlimitedClient<R>(_ body: (EtcdClient) async throws -> R, failure: (any Error) -> CtlFailure) async throws -> R {
        let client = try unlimitedClient()
        do {
            let result = try await body(client)
            await client.close()
            return result
        } catch let f as CtlFailure {
            await client.close()
            throw f
        } catch {
            await client.close()
            throw failure(error)
        }
    }
}
