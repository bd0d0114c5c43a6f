import GoText
import EtcdV2
import EtcdClient
import Foundation

/// etcdctl's v2 API mode (`ETCDCTL_API=2`): ls, mkdir, rmdir, mk, set, get, rm, update, setdir,
/// updatedir, member list and cluster-health, with etcdctl 3.4's v2 flags, output and exit codes,
/// served over the v3 key space (``V2Keys``: a directory is a key prefix ending in `/`; see
/// docs/v2-emulation.md), so they work against any v3 endpoint, v2 API enabled or not.
enum CtlV2 {
    /// etcdctl v2's exit codes.
    enum Exit {
        static let success: Int32 = 0
        static let badArgs: Int32 = 1
        static let badConnection: Int32 = 2
        static let badAuth: Int32 = 3
        static let serverError: Int32 = 4
        static let clusterNotHealthy: Int32 = 5
    }

    /// Ends the command: `text` on stderr (if any), exit `code`.
    struct Failure: Error {
        var code: Int32
        var stderr: String
        var stdout = ""
    }

    struct Flag {
        var names: [String]
        var takesValue: Bool
        var help: String
        var valueDefault: String? = nil

        var display: String {
            names.map { ($0.count == 1 ? "-" : "--") + $0 + (takesValue ? " value" : "") }.joined(separator: ", ")
        }
    }

    struct Command {
        var name: String
        var usage: String
        var argsUsage: String
        var flags: [Flag]
        var description: String? = nil
    }

    static let ttlFlag = Flag(names: ["ttl"], takesValue: true, help: "key time-to-live in seconds", valueDefault: "0")

    static let commands: [String: Command] = {
        let list = [
            Command(name: "ls", usage: "retrieve a directory", argsUsage: "[key]", flags: [
                Flag(names: ["sort"], takesValue: false, help: "returns result in sorted order"),
                Flag(names: ["recursive", "r"], takesValue: false, help: "returns all key names recursively for the given path"),
                Flag(names: ["p"], takesValue: false, help: "append slash (/) to directories"),
                Flag(names: ["quorum", "q"], takesValue: false, help: "require quorum for get request"),
            ]),
            Command(name: "get", usage: "retrieve the value of a key", argsUsage: "<key>", flags: [
                Flag(names: ["sort"], takesValue: false, help: "returns result in sorted order"),
                Flag(names: ["quorum", "q"], takesValue: false, help: "require quorum for get request"),
            ]),
            Command(name: "mk", usage: "make a new key with a given value", argsUsage: "<key> <value>", flags: [
                Flag(names: ["in-order"], takesValue: false, help: "create in-order key under directory <key>"), ttlFlag,
            ]),
            Command(name: "mkdir", usage: "make a new directory", argsUsage: "<key>", flags: [ttlFlag]),
            Command(name: "rm", usage: "remove a key or a directory", argsUsage: "<key>", flags: [
                Flag(names: ["dir"], takesValue: false, help: "removes the key if it is an empty directory or a key-value pair"),
                Flag(names: ["recursive", "r"], takesValue: false, help: "removes the key and all child keys(if it is a directory)"),
                Flag(names: ["with-value"], takesValue: true, help: "previous value"),
                Flag(names: ["with-index"], takesValue: true, help: "previous index", valueDefault: "0"),
            ]),
            Command(name: "rmdir", usage: "removes the key if it is an empty directory or a key-value pair", argsUsage: "<key>", flags: []),
            Command(name: "set", usage: "set the value of a key", argsUsage: "<key> <value>", flags: [
                ttlFlag,
                Flag(names: ["swap-with-value"], takesValue: true, help: "previous value"),
                Flag(names: ["swap-with-index"], takesValue: true, help: "previous index", valueDefault: "0"),
            ], description: """
                Set sets the value of a key.

                   When <value> begins with '-', <value> is interpreted as a flag.
                   Insert '--' for workaround:

                   $ set -- <key> <value>
                """),
            Command(name: "setdir", usage: "create a new directory or update an existing directory TTL", argsUsage: "<key>", flags: [ttlFlag]),
            Command(name: "update", usage: "update an existing key with a given value", argsUsage: "<key> <value>", flags: [ttlFlag]),
            Command(name: "updatedir", usage: "update an existing directory", argsUsage: "<key> <value>", flags: [ttlFlag]),
            Command(name: "cluster-health", usage: "check the health of the etcd cluster", argsUsage: "", flags: [
                Flag(names: ["forever", "f"], takesValue: false, help: "forever check the health every 10 second until CTRL+C"),
            ]),
            Command(name: "member", usage: "member add, remove and list subcommands", argsUsage: "", flags: []),
        ]
        return Dictionary(uniqueKeysWithValues: list.map { ($0.name, $0) })
    }()

    static let unsupported: Set<String> = ["backup", "watch", "exec-watch", "user", "role", "auth", "import"]

    static let globalFlags: [Flag] = [
        Flag(names: ["debug"], takesValue: false, help: ""),
        Flag(names: ["no-sync"], takesValue: false, help: ""),
        Flag(names: ["output", "o"], takesValue: true, help: ""),
        Flag(names: ["discovery-srv", "D"], takesValue: true, help: ""),
        Flag(names: ["insecure-discovery"], takesValue: false, help: ""),
        Flag(names: ["peers", "C"], takesValue: true, help: ""),
        Flag(names: ["endpoint"], takesValue: true, help: ""),
        Flag(names: ["endpoints"], takesValue: true, help: ""),
        Flag(names: ["cert-file"], takesValue: true, help: ""),
        Flag(names: ["key-file"], takesValue: true, help: ""),
        Flag(names: ["ca-file"], takesValue: true, help: ""),
        Flag(names: ["username", "u"], takesValue: true, help: ""),
        Flag(names: ["timeout"], takesValue: true, help: ""),
        Flag(names: ["total-timeout"], takesValue: true, help: ""),
        Flag(names: ["help", "h"], takesValue: false, help: ""),
        Flag(names: ["version", "v"], takesValue: false, help: ""),
    ]

    /// Parsed flags: values by primary name (booleans as "true"/"false").
    struct Parsed {
        var values: [String: String] = [:]
        var args: [String] = []
        func bool(_ name: String) -> Bool { ["true", "1", "t", "T", "TRUE", "True"].contains(values[name] ?? "false") }
        func string(_ name: String) -> String { values[name] ?? "" }
    }

    /// Go `flag` parsing; `stopAtArg`: the global flags end at the command name, a command's
    /// flags may follow its arguments (urfave/cli reorders them).
    static func parse(_ args: [String], flags: [Flag], stopAtArg: Bool) throws(FlagError) -> (Parsed, rest: [String]) {
        var parsed = Parsed()
        var i = 0
        while i < args.count {
            let a = args[i]
            i += 1
            if a == "--" {
                parsed.args += args[i...]
                return (parsed, [])
            }
            guard a.hasPrefix("-"), a != "-" else {
                if stopAtArg { return (parsed, Array(args[(i - 1)...])) }
                parsed.args.append(a)
                continue
            }
            let body = a.hasPrefix("--") ? a.dropFirst(2) : a.dropFirst()
            let parts = body.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = String(parts[0])
            guard let flag = flags.first(where: { $0.names.contains(name) }) else { throw FlagError(name: name, problem: .undefined) }
            let primary = flag.names[0]
            if parts.count == 2 {
                parsed.values[primary] = String(parts[1])
            } else if flag.takesValue {
                guard i < args.count else { throw FlagError(name: name, problem: .needsArgument) }
                parsed.values[primary] = args[i]
                i += 1
            } else {
                parsed.values[primary] = "true"
            }
        }
        return (parsed, [])
    }

    struct FlagError: Error {
        enum Problem { case undefined, needsArgument }
        var name: String
        var problem: Problem
        var text: String { problem == .undefined ? "flag provided but not defined: -\(name)" : "flag needs an argument: -\(name)" }
    }

    static func help(_ c: Command) -> String {
        var s = "NAME:\n   etcdctl \(c.name) - \(c.usage)\n\nUSAGE:\n   etcdctl \(c.name)"
        if !c.flags.isEmpty { s += " [command options]" }
        if !c.argsUsage.isEmpty { s += " " + c.argsUsage }
        s += "\n"
        if let d = c.description { s += "\nDESCRIPTION:\n   " + d + "\n" }
        if !c.flags.isEmpty {
            let width = c.flags.map(\.display.count).max()! + 2
            s += "\nOPTIONS:\n"
            for f in c.flags {
                let d = f.display
                s += "   " + d + String(repeating: " ", count: width - d.count) + f.help
                if let def = f.valueDefault { s += " (default: \(def))" }
                s += "\n"
            }
            s += "   \n"
        }
        return s
    }

    static var mainHelp: String {
        """
        NAME:
           etcdctl - A simple command line client for etcd.

        USAGE:
           etcdctl [global options] command [command options] [arguments...]

        VERSION:
           \(CtlCluster.etcdctlVersion)

        COMMANDS:
           cluster-health  check the health of the etcd cluster
           mk              make a new key with a given value
           mkdir           make a new directory
           rm              remove a key or a directory
           rmdir           removes the key if it is an empty directory or a key-value pair
           get             retrieve the value of a key
           ls              retrieve a directory
           set             set the value of a key
           setdir          create a new directory or update an existing directory TTL
           update          update an existing key with a given value
           updatedir       update an existing directory
           member          member list (add, remove and update are not supported)
           help, h         Shows a list of commands or help for one command

        (ketch: served over the v3 key space; a directory is a key prefix ending in "/". backup, watch,
        exec-watch, user, role and auth are not supported; neither are TTLs.)

        GLOBAL OPTIONS:
           --debug                          output cURL commands which can be used to reproduce the request
           --no-sync                        don't synchronize cluster information before sending request
           --output simple, -o simple       output response in the given format (simple, `extended` or `json`) (default: "simple")
           --discovery-srv value, -D value  domain name to query for SRV records describing cluster endpoints
           --insecure-discovery             accept insecure SRV records describing cluster endpoints
           --peers value, -C value          DEPRECATED - "--endpoints" should be used instead
           --endpoint value                 DEPRECATED - "--endpoints" should be used instead
           --endpoints value                a comma-delimited list of machine addresses in the cluster (default: "http://127.0.0.1:2379,http://127.0.0.1:4001")
           --cert-file value                identify HTTPS client using this SSL certificate file
           --key-file value                 identify HTTPS client using this SSL key file
           --ca-file value                  verify certificates of HTTPS-enabled servers using this CA bundle
           --username value, -u value       provide username[:password] and prompt if password is not supplied.
           --timeout value                  connection timeout per request (default: 2s)
           --total-timeout value            timeout for the command execution (except watch) (default: 5s)
           --help, -h                       show help
           --version, -v                    print the version

        """
    }

    /// Runs a v2 command line; returns the exit code.
    static func execute(_ args: [String], environment: [String: String]) async -> Int32 {
        let global: Parsed
        let rest: [String]
        do {
            (global, rest) = try parse(args, flags: globalFlags, stopAtArg: true)
        } catch {
            CtlIO.out("Incorrect Usage. \(error.text)\n\n" + mainHelp)
            CtlIO.err(error.text + "\n")
            return Exit.badArgs
        }
        if global.bool("version") {
            CtlIO.out("etcdctl version: \(CtlCluster.etcdctlVersion)\nAPI version: 2\n")
            return Exit.success
        }
        guard let name = rest.first, !global.bool("help"), name != "help", name != "h" else {
            if rest.count > 1, let c = commands[rest[1]] {
                CtlIO.out(help(c))
            } else {
                CtlIO.out(mainHelp)
            }
            return Exit.success
        }
        guard let command = commands[name] else {
            if unsupported.contains(name) {
                CtlIO.err("Error:  ketch ctl does not implement the v2 command \"\(name)\"\n")
                return Exit.badArgs
            }
            CtlIO.err("No help topic for '\(name)'\n")
            return 3
        }
        let local: Parsed
        do {
            (local, _) = try parse(Array(rest.dropFirst()), flags: command.flags + [Flag(names: ["help", "h"], takesValue: false, help: "")],
                                   stopAtArg: false)
        } catch {
            CtlIO.out("Incorrect Usage: \(error.text)\n\n" + help(command))
            CtlIO.err(error.text + "\n")
            return Exit.badArgs
        }
        if local.bool("help") {
            CtlIO.out(help(command))
            return Exit.success
        }
        let context: Context
        do {
            context = try Context(global: global, environment: environment)
        } catch {
            return report(error)
        }
        do {
            try await run(command.name, local, context)
            await context.client.close()
            return Exit.success
        } catch {
            await context.client.close()
            return report(error)
        }
    }

    private static func report(_ error: any Error) -> Int32 {
        guard let f = error as? Failure else {
            CtlIO.err("Error:  \(error)\n")
            return Exit.serverError
        }
        if !f.stdout.isEmpty { CtlIO.out(f.stdout) }
        if !f.stderr.isEmpty { CtlIO.err(f.stderr) }
        return f.code
    }

    /// The global settings and the client.
    struct Context {
        var output: String
        var endpoints: [String]
        var client: EtcdClient
        var keys: V2Keys

        init(global g: Parsed, environment env: [String: String]) throws {
            output = g.values["output"] ?? "simple"
            var peers = g.string("endpoints")
            for candidate in [env["ETCDCTL_ENDPOINTS"], g.values["endpoint"], env["ETCDCTL_ENDPOINT"], g.values["peers"], env["ETCDCTL_PEERS"]]
            where peers.isEmpty {
                peers = candidate ?? ""
            }
            if peers.isEmpty { peers = "http://127.0.0.1:2379,http://127.0.0.1:4001" }
            endpoints = peers.split(separator: ",", omittingEmptySubsequences: false).map { ep in
                let e = String(ep)
                return e.contains("://") ? e : "http://" + e
            }
            func setting(_ flag: String, _ variable: String) -> String? {
                let v = g.string(flag)
                if !v.isEmpty { return v }
                if let e = env[variable], !e.isEmpty { return e }
                return nil
            }
            var username: String?
            var password: String?
            if let u = setting("username", "ETCDCTL_USERNAME") {
                if let colon = u.firstIndex(of: ":") {
                    username = String(u[..<colon])
                    password = String(u[u.index(after: colon)...])
                } else {
                    username = u
                    CtlIO.err("Password: ")
                    password = readLine(strippingNewline: true) ?? ""
                }
            }
            func duration(_ name: String, _ fallback: Duration) throws -> Duration {
                guard let text = g.values[name] else { return fallback }
                guard let d = GoDuration.parse(text) else {
                    throw Failure(code: Exit.badArgs, stderr: "invalid value \"\(text)\" for flag -\(name): parse error\n")
                }
                return d
            }
            let total = try duration("total-timeout", .seconds(5))
            let perRequest = try duration("timeout", .seconds(2))
            let config = EtcdClientConfiguration(
                endpoints: endpoints, caFile: setting("ca-file", "ETCDCTL_CA_FILE"), certFile: setting("cert-file", "ETCDCTL_CERT_FILE"),
                keyFile: setting("key-file", "ETCDCTL_KEY_FILE"), dialTimeout: min(perRequest, total), requestTimeout: total,
                username: username, password: password)
            do {
                client = try EtcdClient.lazy(config)
            } catch {
                throw Failure(code: Exit.badArgs, stderr: "\(error)\n")
            }
            keys = V2Keys(backend: CtlV2Backend(client: client))
        }

        /// An error as etcdctl v2 reports it.
        func failure(_ error: any Error) -> Failure {
            switch error {
            case let f as Failure: return f
            case let e as V2Error:
                return Failure(code: Exit.serverError, stderr: "Error:  \(e.code): \(e.message) (\(e.cause)) [\(e.index)]\n")
            case let e as EtcdClientError:
                switch e {
                case .unavailable, .deadlineExceeded:
                    let hosts = endpoints.map { ep -> String in
                        let noScheme = ep.range(of: "://").map { String(ep[$0.upperBound...]) } ?? ep
                        return "dial tcp \(noScheme): connect: connection refused"
                    }
                    let list = hosts.enumerated().map { "error #\($0.offset): \($0.element)" }
                    let detail = list.map { $0 + "\n" }.joined() + "\n"
                    return Failure(code: Exit.badConnection,
                                   stderr: "Error:  client: etcd cluster is unavailable or misconfigured; \(list.joined(separator: "; "))\n\n" + detail)
                case .server(_, let message):
                    let auth = message.contains("auth") || message.contains("permission denied") || message.contains("user name")
                    return Failure(code: auth ? Exit.badAuth : Exit.serverError, stderr: "Error:  \(message)\n")
                default:
                    return Failure(code: Exit.serverError, stderr: "Error:  \(e.description)\n")
                }
            default:
                return Failure(code: Exit.serverError, stderr: "Error:  \(error)\n")
            }
        }
    }

    static func run(_ name: String, _ p: Parsed, _ c: Context) async throws {
        func key() throws -> String {
            guard let k = p.args.first else { throw Failure(code: Exit.badArgs, stderr: "Error:  key required\n") }
            return k
        }
        func value() throws -> String {
            if p.args.count > 1 { return p.args[1] }
            let data = FileHandle.standardInput.readDataToEndOfFile()
            guard !data.isEmpty else { throw Failure(code: Exit.badArgs, stderr: "Error:  value required\n") }
            return String(decoding: data, as: UTF8.self)
        }
        func int(_ flag: String) throws -> Int64 {
            guard let text = p.values[flag] else { return 0 }
            guard let n = Int64(text) else {
                throw Failure(code: Exit.badArgs, stdout: "", text: "invalid value \"\(text)\" for flag -\(flag): parse error")
            }
            return n
        }
        func noTTL() throws {
            if try int("ttl") != 0 {
                throw Failure(code: Exit.badArgs, stderr: "Error:  TTLs are not supported by ketch's v2 emulation (use leases with the v3 API)\n")
            }
        }
        func call(_ body: () async throws -> V2Response) async throws -> V2Response {
            do { return try await body() } catch { throw c.failure(error) }
        }

        switch name {
        case "ls":
            let k = p.args.first ?? "/"
            let r = try await call { try await c.keys.get(k, recursive: p.bool("recursive")) }
            if c.output == "simple" {
                var out = ""
                if !r.node.dir { out += r.node.key + "\n" }
                func visit(_ n: V2Node) {
                    out += n.key + (n.dir && p.bool("p") ? "/" : "") + "\n"
                    for child in n.nodes ?? [] { visit(child) }
                }
                for child in r.node.nodes ?? [] { visit(child) }
                CtlIO.out(out)
            } else {
                printResponse(r, c.output)
            }
        case "get":
            let k = try key()
            let r = try await call { try await c.keys.get(k, recursive: false) }
            if r.node.dir { throw Failure(code: Exit.badArgs, stderr: "\(r.node.key): is a directory\n") }
            printResponse(r, c.output)
        case "mk":
            let k = try key()
            let v = try value()
            try noTTL()
            let r = try await call {
                p.bool("in-order") ? try await c.keys.createInOrder(k, value: v) : try await c.keys.create(k, dir: false, value: v)
            }
            printResponse(r, c.output)
        case "set":
            let k = try key()
            let v = try value()
            try noTTL()
            let options = V2Keys.PutOptions(prevValue: p.string("swap-with-value"), prevIndex: try int("swap-with-index"))
            let r = try await call { try await c.keys.put(k, value: v, options: options) }
            printResponse(r, c.output)
        case "update":
            let k = try key()
            let v = try value()
            try noTTL()
            let r = try await call { try await c.keys.put(k, value: v, options: .init(prevExist: true)) }
            printResponse(r, c.output)
        case "mkdir", "setdir", "updatedir":
            let k = try key()
            try noTTL()
            let exist: Bool? = name == "mkdir" ? false : name == "setdir" ? nil : true
            let r = try await call { try await c.keys.put(k, value: "", options: .init(dir: true, prevExist: exist)) }
            if c.output != "simple" { printResponse(r, c.output) }
        case "rm", "rmdir":
            let k = try key()
            let r = try await call {
                if name == "rmdir" { return try await c.keys.delete(k, dir: true, recursive: false) }
                return try await c.keys.delete(k, dir: p.bool("dir"), recursive: p.bool("recursive"),
                                               prevValue: p.string("with-value"), prevIndex: try int("with-index"))
            }
            if !r.node.dir || c.output != "simple" { printResponse(r, c.output) }
        case "member":
            guard p.args.first == "list" else {
                if let sub = p.args.first {
                    throw Failure(code: Exit.badArgs, stderr: "Error:  ketch ctl does not implement the v2 command \"member \(sub)\"\n")
                }
                CtlIO.out("NAME:\n   etcdctl member - member add, remove and list subcommands\n\nUSAGE:\n   etcdctl member command [command options] [arguments...]\n\nCOMMANDS:\n     list     enumerate existing cluster members\n\nOPTIONS:\n   --help, -h  show help\n   \n")
                return
            }
            do {
                let members = try await c.client.memberList()
                let leader = (try? await c.client.status().leader) ?? 0
                var out = ""
                for m in members.members {
                    out += "\(String(m.id, radix: 16)): name=\(m.name) peerURLs=\(m.peerURLs.joined(separator: ",")) "
                        + "clientURLs=\(m.clientURLs.joined(separator: ",")) isLeader=\(m.id == leader)\n"
                }
                CtlIO.out(out)
            } catch {
                throw c.failure(error)
            }
        case "cluster-health":
            do {
                let members = try await c.client.memberList()
                var out = ""
                for m in members.members {
                    out += "member \(String(m.id, radix: 16)) is healthy: got healthy result from \(m.clientURLs.first ?? "")\n"
                }
                CtlIO.out(out + "cluster is healthy\n")
            } catch {
                throw Failure(code: Exit.clusterNotHealthy, stderr: "cluster may be unhealthy: failed to list members\n" + c.failure(error).stderr)
            }
        default:
            throw Failure(code: Exit.badArgs, stderr: "No help topic for '\(name)'\n")
        }
    }

    /// etcdctl v2's `printResponseKey`.
    static func printResponse(_ r: V2Response, _ format: String) {
        switch format {
        case "simple":
            if r.action != "delete" {
                CtlIO.out((r.node.value ?? "") + "\n")
            } else {
                CtlIO.out("PrevNode.Value: " + (r.prevNode?.value ?? "") + "\n")
            }
        case "extended":
            var s = "Key: \(r.node.key)\nCreated-Index: \(r.node.createdIndex)\nModified-Index: \(r.node.modifiedIndex)\n"
            if let prev = r.prevNode { s += "PrevNode.Value: \(prev.value ?? "")\n" }
            s += "TTL: 0\nIndex: \(r.index)\n"
            if r.action != "delete" { s += "\n" + (r.node.value ?? "") + "\n" }
            CtlIO.out(s)
        case "json":
            CtlIO.out(V2JSON.clientResponse(r) + "\n")
        default:
            CtlIO.err("Unsupported output format: \(format)\n")
        }
    }
}

extension CtlV2.Failure {
    init(code: Int32, stdout: String, text: String) {
        self.init(code: code, stderr: text + "\n", stdout: stdout)
    }
}
