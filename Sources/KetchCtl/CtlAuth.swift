import EtcdClient
import EtcdProto
import Foundation
import GoText

/// etcdctl's auth enable/disable/status, user add/delete/get/list/passwd/grant-role/revoke-role,
/// role add/delete/get/list/grant-permission/revoke-permission.
enum CtlAuth {
    /// The commands this file serves, by command path (e.g. "lease grant").
    static let commands: [String: CtlCommand.Handler] = [
        "auth enable": { p, g in try await authEnable(p, g) },
        "auth disable": { p, g in try await authDisable(p, g) },
        "auth status": { p, g in try await authStatus(p, g) },
        "user add": { p, g in try await userAdd(p, g) },
        "user delete": { p, g in try await userDelete(p, g) },
        "user get": { p, g in try await userGet(p, g) },
        "user list": { p, g in try await userList(p, g) },
        "user passwd": { p, g in try await userPasswd(p, g) },
        "user grant-role": { p, g in try await userGrantRole(p, g) },
        "user revoke-role": { p, g in try await userRevokeRole(p, g) },
        "role add": { p, g in try await roleAdd(p, g) },
        "role delete": { p, g in try await roleDelete(p, g) },
        "role get": { p, g in try await roleGet(p, g) },
        "role list": { p, g in try await roleList(p, g) },
        "role grant-permission": { p, g in try await roleGrantPermission(p, g) },
        "role revoke-permission": { p, g in try await roleRevokePermission(p, g) },
    ]

    /// The output format, then exactly `count` arguments, in the order etcdctl checks them.
    private static func arguments(_ p: CtlParsedArguments, _ g: CtlGlobals, _ count: Int, _ usage: String) throws -> (CtlFormat, [String]) {
        let format = try CtlFormat(g)
        guard p.positionals.count == count else { throw CtlFailure(CtlExit.badArgs, usage) }
        return (format, p.positionals)
    }

    /// Sends one request and prints its answer as etcdctl's auth printers do (``printAnswer(_:_:line:)``).
    private static func send<Response: CtlHeadered>(_ format: CtlFormat, _ g: CtlGlobals, line: String,
                                                    _ call: (EtcdClient) async throws -> Response) async throws {
        try printAnswer(format, try await g.withClient(call), line: line)
    }

    /// An answer whose printers show only a line (simple), the header (json, fields) or the message (protobuf).
    private static func printAnswer(_ format: CtlFormat, _ r: some CtlHeadered, line: String?) throws {
        try format.print(simple: line, json: CtlRPC.json(r.header), fields: CtlRPC.fieldsHeader(r.header), protobuf: r)
    }

    private static func noArguments(_ p: CtlParsedArguments, _ message: String) throws {
        if !p.positionals.isEmpty { throw CtlFailure(CtlExit.badArgs, message) }
    }

    // MARK: auth
    // MARK: auth

    static func authEnable(_ p: CtlParsedArguments, _ g: CtlGlobals) async throws {
        try noArguments(p, "auth enable command does not accept any arguments")
        try await g.withClient { client in
            while true {
                do {
                    _ = try await client.rpc(Etcdserverpb_AuthEnableRequest())
                    return
                } catch let e as EtcdClientError where e.message == "etcdserver: root user does not have root role" {
                    if case .server(let code, let message) = e {
                        CtlCommand.retryWarning(code: code, message: message, endpoints: g.endpoints)
                    }
                    var add = Etcdserverpb_AuthRoleAddRequest()
                    add.name = "root"
                    _ = try await client.rpc(add)
                    var grant = Etcdserverpb_AuthUserGrantRoleRequest()
                    grant.user = "root"
                    grant.role = "root"
                    _ = try await client.rpc(grant)
                }
            }
        }
        CtlIO.out("Authentication Enabled\n")
    }

    static func authDisable(_ p: CtlParsedArguments, _ g: CtlGlobals) async throws {
        try noArguments(p, "auth disable command does not accept any arguments")
        _ = try await g.withClient { try await $0.rpc(Etcdserverpb_AuthDisableRequest()) }
        CtlIO.out("Authentication Disabled\n")
    }

    static func authStatus(_ p: CtlParsedArguments, _ g: CtlGlobals) async throws {
        try noArguments(p, "auth status command does not accept any arguments")
        let format = try CtlFormat(g)
        let r = try await g.withClient { try await $0.rpc(Etcdserverpb_AuthStatusRequest()) }
        var rest: [(String, GoJSON)] = []
        if r.enabled { rest.append(("enabled", .bool(true))) }
        if r.authRevision != 0 { rest.append(("authRevision", .uint(r.authRevision))) }
        try format.print(simple: "Authentication Status: \(r.enabled)\nAuthRevision: \(r.authRevision)\n",
                         json: CtlRPC.json(r.header, rest), protobuf: r)
    }

    // MARK: passwords    // MARK: passwords

    /// speakeasy.Ask: the prompt on stdout, echo off (`stty -echo` on the terminal, which also
    /// complains on stderr when stdin is not one), a line from stdin, echo back on, a newline.
    static func ask(_ prompt: String) -> String {
        CtlIO.out(prompt)
        stty("-echo")
        let line = CtlStdin.shared.readPasswordLine()
        stty("echo")
        CtlIO.out("\n")
        return line
    }

    /// `/bin/stty` run as `stty` (speakeasy's argv[0]) on our stdin, stdout and stderr.
    private static func stty(_ argument: String) {
        var argv: [UnsafeMutablePointer<CChar>?] = [strdup("stty"), strdup(argument), nil]
        defer { argv.forEach { free($0) } }
        var pid: pid_t = 0
        guard posix_spawn(&pid, "/bin/stty", nil, nil, &argv, environ) == 0 else { return }
        var status: Int32 = 0
        waitpid(pid, &status, 0)
    }

    static func readPasswordInteractive(_ name: String) throws -> String {
        let first = ask("Password of \(name): ")
        if first.isEmpty { throw CtlFailure(CtlExit.badArgs, "empty password") }
        let second = ask("Type password of \(name) again for confirmation: ")
        if first != second { throw CtlFailure(CtlExit.badArgs, "given passwords are different") }
        return first
    }

    // MARK: users

    static func userAdd(_ p: CtlParsedArguments, _ g: CtlGlobals) async throws {
        let (format, a) = try arguments(p, g, 1, "user add command requires user name as its argument")
        let arg = a[0]
        let interactive = p.bools["interactive"] ?? true
        var request = Etcdserverpb_AuthUserAddRequest()
        if p.flag("no-password") {
            request.name = arg
            request.options.noPassword = true
        } else if let password = p.value("new-user-password"), !password.isEmpty {
            request.name = arg
            request.password = password
        } else if let colon = arg.firstIndex(of: ":") {
            request.name = String(arg[..<colon])
            request.password = String(arg[arg.index(after: colon)...])
            if request.name.isEmpty { throw CtlFailure(CtlExit.badArgs, "empty user name is not allowed") }
        } else {
            request.name = arg
            request.password = interactive ? try readPasswordInteractive(arg) : CtlStdin.shared.scanWord()
        }
        try await send(format, g, line: "User \(request.name) created\n") { [request] in try await $0.rpc(request) }
    }

    static func userDelete(_ p: CtlParsedArguments, _ g: CtlGlobals) async throws {
        let (format, a) = try arguments(p, g, 1, "user delete command requires user name as its argument")
        let request = Etcdserverpb_AuthUserDeleteRequest.with { $0.name = a[0] }
        try await send(format, g, line: "User \(a[0]) deleted\n") { try await $0.rpc(request) }
    }

    static func userGet(_ p: CtlParsedArguments, _ g: CtlGlobals) async throws {
        let (format, a) = try arguments(p, g, 1, "user get command requires user name as its argument")
        let name = a[0]
        var request = Etcdserverpb_AuthUserGetRequest()
        request.name = name
        let req = request
        if p.flag("detail") {
            try await g.withClient { client in
                let r = try await client.rpc(req)
                CtlIO.out("User: \(name)\n")
                for role in r.roles {
                    CtlIO.out("\n")
                    var rr = Etcdserverpb_AuthRoleGetRequest()
                    rr.role = role
                    try printRole(role, try await client.rpc(rr), format)
                }
            }
            return
        }
        let r = try await g.withClient { try await $0.rpc(req) }
        try format.print(simple: "User: \(name)\nRoles:" + r.roles.map { " " + $0 }.joined() + "\n",
                         json: CtlRPC.json(r.header, names("roles", r.roles)), protobuf: r)
    }

    /// A list of names as etcdctl's JSON has it: left out when empty.
    private static func names(_ key: String, _ list: [String]) -> [(String, GoJSON)] {
        list.isEmpty ? [] : [(key, .array(list.map { .string($0) }))]
    }

    static func userList(_ p: CtlParsedArguments, _ g: CtlGlobals) async throws {
        let (format, _) = try arguments(p, g, 0, "user list command requires no arguments")
        let r = try await g.withClient { try await $0.rpc(Etcdserverpb_AuthUserListRequest()) }
        try format.print(simple: r.users.map { $0 + "\n" }.joined(), json: CtlRPC.json(r.header, names("users", r.users)), protobuf: r)
    }

    static func userPasswd(_ p: CtlParsedArguments, _ g: CtlGlobals) async throws {
        let (format, a) = try arguments(p, g, 1, "user passwd command requires user name as its argument")
        let interactive = p.bools["interactive"] ?? true
        var request = Etcdserverpb_AuthUserChangePasswordRequest()
        request.name = a[0]
        request.password = interactive ? try readPasswordInteractive(request.name) : CtlStdin.shared.scanWord()
        try await send(format, g, line: "Password updated\n") { [request] in try await $0.rpc(request) }
    }

    static func userGrantRole(_ p: CtlParsedArguments, _ g: CtlGlobals) async throws {
        let (format, a) = try arguments(p, g, 2, "user grant command requires user name and role name as its argument")
        let request = Etcdserverpb_AuthUserGrantRoleRequest.with { $0.user = a[0]; $0.role = a[1] }
        try await send(format, g, line: "Role \(a[1]) is granted to user \(a[0])\n") { try await $0.rpc(request) }
    }

    static func userRevokeRole(_ p: CtlParsedArguments, _ g: CtlGlobals) async throws {
        let (format, a) = try arguments(p, g, 2, "user revoke-role requires user name and role name as its argument")
        let request = Etcdserverpb_AuthUserRevokeRoleRequest.with { $0.name = a[0]; $0.role = a[1] }
        try await send(format, g, line: "Role \(a[1]) is revoked from user \(a[0])\n") { try await $0.rpc(request) }
    }

    // MARK: roles

    static func roleAdd(_ p: CtlParsedArguments, _ g: CtlGlobals) async throws {
        let (format, a) = try arguments(p, g, 1, "role add command requires role name as its argument")
        let request = Etcdserverpb_AuthRoleAddRequest.with { $0.name = a[0] }
        try await send(format, g, line: "Role \(a[0]) created\n") { try await $0.rpc(request) }
    }

    static func roleDelete(_ p: CtlParsedArguments, _ g: CtlGlobals) async throws {
        let (format, a) = try arguments(p, g, 1, "role delete command requires role name as its argument")
        let request = Etcdserverpb_AuthRoleDeleteRequest.with { $0.role = a[0] }
        try await send(format, g, line: "Role \(a[0]) deleted\n") { try await $0.rpc(request) }
    }

    static func permTypeName(_ t: Authpb_Permission.TypeEnum) -> String {
        switch t {
        case .read: "READ"
        case .write: "WRITE"
        case .readwrite: "READWRITE"
        case .UNRECOGNIZED(let n): String(n)
        }
    }

    static func printRole(_ role: String, _ r: Etcdserverpb_AuthRoleGetResponse, _ format: CtlFormat) throws {
        guard format != .simple else { return CtlIO.outBytes(roleLines(role, r)) }
        let perms: [GoJSON] = r.perm.map { perm in
            var o = GoJSONObject()
            o.omitEmpty("permType", int: Int64(perm.permType.rawValue))
            o.omitEmpty("key", bytes: Array(perm.key))
            o.omitEmpty("range_end", bytes: Array(perm.rangeEnd))
            return o.json
        }
        try format.print(
            json: CtlRPC.json(r.header, perms.isEmpty ? [] : [("perm", .array(perms))]),
            fields: CtlRPC.fieldsHeader(r.header) + r.perm.map { perm in
                "\"PermType\" :  \(permTypeName(perm.permType))\n\"Key\" : \(GoQuote.quote(Array(perm.key)))\n"
                    + "\"RangeEnd\" : \(GoQuote.quote(Array(perm.rangeEnd)))\n"
            }.joined(),
            protobuf: r)
    }

    /// The simple printer's role: its read and write permissions, keys as raw bytes.
    private static func roleLines(_ role: String, _ r: Etcdserverpb_AuthRoleGetResponse) -> [UInt8] {
        var out = Array("Role \(role)\nKV Read:\n".utf8)
        func line(_ perm: Authpb_Permission) {
            let key = Array(perm.key), end = Array(perm.rangeEnd)
            if end.isEmpty {
                out += Array("\t".utf8) + key + [0x0A]
                return
            }
            if end != [0] {
                out += Array("\t[".utf8) + key + Array(", ".utf8) + end + Array(")".utf8)
            } else {
                out += Array("\t[".utf8) + key + Array(", <open ended>".utf8)
            }
            if EtcdKeys.prefixEnd(of: key) == end || (key.isEmpty && end == [0]) {
                out += Array(" (prefix ".utf8) + key + Array(")".utf8)
            }
            out.append(0x0A)
        }
        for perm in r.perm where perm.permType == .read || perm.permType == .readwrite { line(perm) }
        out += Array("KV Write:\n".utf8)
        for perm in r.perm where perm.permType == .write || perm.permType == .readwrite { line(perm) }
        return out
    }

    static func roleGet(_ p: CtlParsedArguments, _ g: CtlGlobals) async throws {
        let (format, a) = try arguments(p, g, 1, "role get command requires role name as its argument")
        let request = Etcdserverpb_AuthRoleGetRequest.with { $0.role = a[0] }
        let r = try await g.withClient { try await $0.rpc(request) }
        try printRole(a[0], r, format)
    }

    static func roleList(_ p: CtlParsedArguments, _ g: CtlGlobals) async throws {
        let (format, _) = try arguments(p, g, 0, "role list command requires no arguments")
        let r = try await g.withClient { try await $0.rpc(Etcdserverpb_AuthRoleListRequest()) }
        try format.print(
            simple: r.roles.map { $0 + "\n" }.joined(), json: CtlRPC.json(r.header, names("roles", r.roles)),
            fields: CtlRPC.fieldsHeader(r.header) + "\"Roles\" :" + r.roles.map { " " + GoQuote.quote($0) }.joined() + "\n",
            protobuf: r)
    }

    /// etcdctl's `permRange`: the key and range end from the arguments and --prefix/--from-key.
    static func permRange(_ args: [String], _ p: CtlParsedArguments) throws -> ([UInt8], [UInt8]) {
        let prefix = p.flag("prefix"), fromKey = p.flag("from-key")
        let key = Array(args[0].utf8)
        if key.isEmpty {
            if prefix && fromKey { throw CtlFailure(CtlExit.badArgs, "--from-key and --prefix flags are mutually exclusive") }
            return ([0], prefix || fromKey ? [0] : [])
        }
        if args.count == 1 {
            if prefix {
                if fromKey { throw CtlFailure(CtlExit.badArgs, "--from-key and --prefix flags are mutually exclusive") }
                return (key, EtcdKeys.prefixEnd(of: key))
            }
            return (key, fromKey ? [0] : [])
        }
        if prefix { throw CtlFailure(CtlExit.badArgs, "unexpected endkey argument with --prefix flag") }
        if fromKey { throw CtlFailure(CtlExit.badArgs, "unexpected endkey argument with --from-key flag") }
        return (key, Array(args[1].utf8))
    }

    static func roleGrantPermission(_ p: CtlParsedArguments, _ g: CtlGlobals) async throws {
        let format = try CtlFormat(g)
        let a = p.positionals
        guard a.count >= 3 else {
            throw CtlFailure(CtlExit.badArgs, "role grant command requires role name, permission type, and key [endkey] as its argument")
        }
        let type: Authpb_Permission.TypeEnum
        switch a[1].uppercased() {
        case "READ": type = .read
        case "WRITE": type = .write
        case "READWRITE": type = .readwrite
        default: throw CtlFailure(CtlExit.badArgs, "invalid permission type: \(a[1])")
        }
        let (key, end) = try permRange(Array(a[2...]), p)
        var request = Etcdserverpb_AuthRoleGrantPermissionRequest()
        request.name = a[0]
        request.perm.permType = type
        request.perm.key = Data(key)
        request.perm.rangeEnd = Data(end)
        try await send(format, g, line: "Role \(a[0]) updated\n") { [request] in try await $0.rpc(request) }
    }

    static func roleRevokePermission(_ p: CtlParsedArguments, _ g: CtlGlobals) async throws {
        let format = try CtlFormat(g)
        let a = p.positionals
        guard a.count >= 2 else {
            throw CtlFailure(CtlExit.badArgs, "role revoke-permission command requires role name and key [endkey] as its argument")
        }
        let (key, end) = try permRange(Array(a[1...]), p)
        var request = Etcdserverpb_AuthRoleRevokePermissionRequest()
        request.role = a[0]
        request.key = Data(key)
        request.rangeEnd = Data(end)
        let r = try await g.withClient { [request] in try await $0.rpc(request) }
        var line: [UInt8]
        if end.isEmpty {
            line = Array("Permission of key \(a[1]) is revoked from role \(a[0])\n".utf8)
        } else if end != [0] {
            line = Array("Permission of range [\(a[1]), ".utf8) + end + Array(") is revoked from role \(a[0])\n".utf8)
        } else {
            line = Array("Permission of range [\(a[1]), <open ended> is revoked from role \(a[0])\n".utf8)
        }
        guard format != .simple else { return CtlIO.outBytes(line) }
        try printAnswer(format, r, line: nil)
    }
}
