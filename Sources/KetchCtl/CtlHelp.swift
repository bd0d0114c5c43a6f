import Foundation
import GoText

/// etcdctl 3.5.1's commands as cobra declares them, and their help.
///
/// One table (``commands``) describes every command ketch ctl serves: its path, cobra's `Use`
/// (after the name), `Short`, `Long` and its flags. The parser takes each command's flags from it
/// (``CtlArgumentParser/commandFlags``); help renders it through one template, etcd's
/// `pkg/cobrautl/help.go` usage template, aligned by Go's `text/tabwriter` as etcd sets it up
/// (minwidth 0, tabwidth 8, padding 1, tabs as padding). The output is byte-identical to etcdctl
/// 3.5.1's, on stdout with exit code 0, for `CMD --help`, `CMD -h`, `help CMD` and a group alone
/// (`etcdctl member`).
///
/// Every etcdctl 3.5.1 command is in the table. Commands listed in ``CtlHelp/unserved`` (none
/// now) would be left out of the group and root listings, and their help would be ketch ctl's
/// "does not implement" error.
struct CtlCommandSpec {
    /// The command path below the root (`member list`); empty for the root.
    var path: String
    /// What follows the name in cobra's `Use` (`<memberID> [options]`).
    var args: String = ""
    var short: String
    /// cobra's `Long`, printed as DESCRIPTION.
    var long: String = ""
    /// Local flags (not `--help`, which every command gets).
    var flags: [CtlFlag] = []
    /// Flags this command's subcommands inherit (`endpoint --cluster`).
    var persistentFlags: [CtlFlag] = []

    var components: [String] { path.split(separator: " ").map(String.init) }
    var name: String { components.last ?? "etcdctl" }
    var isRoot: Bool { path.isEmpty }
}

enum CtlHelp {
    /// The root: etcdctl itself, whose flags are the global ones.
    static let root = CtlCommandSpec(path: "", short: "A simple command line client for etcd3.")

    /// Every command ketch ctl serves, with etcdctl 3.5.1's texts.
    static let commands: [CtlCommandSpec] = [
        // KV
        CtlCommandSpec(path: "get", args: "[options] <key> [range_end]", short: "Gets the key or a range of keys", flags: [
            .string("consistency", default: "l", "Linearizable(l) or Serializable(s)"),
            .string("order", "Order of results; ASCEND or DESCEND (ASCEND by default)"),
            .string("sort-by", "Sort target; CREATE, KEY, MODIFY, VALUE, or VERSION"),
            .other("limit", default: "0", "Maximum number of results"),
            .bool("prefix", "Get keys with matching prefix"),
            .bool("from-key", "Get keys that are greater than or equal to the given key using byte compare"),
            .other("rev", default: "0", "Specify the kv revision"),
            .bool("keys-only", "Get only the keys"),
            .bool("count-only", "Get only the count"),
            .bool("print-value-only", #"Only write values when using the "simple" output format"#),
        ]),
        CtlCommandSpec(
            path: "put", args: "[options] <key> <value> (<value> can also be given from stdin)",
            short: "Puts the given key into the store",
            long: """
                Puts the given key into the store.

                When <value> begins with '-', <value> is interpreted as a flag.
                Insert '--' for workaround:

                $ put <key> -- <value>
                $ put -- <key> <value>

                If <value> isn't given as a command line argument and '--ignore-value' is not specified,
                this command tries to read the value from standard input.

                If <lease> isn't given as a command line argument and '--ignore-lease' is not specified,
                this command tries to read the value from standard input.

                For example,
                $ cat file | put <key>
                will store the content of the file to <key>.
                """,
            flags: [
                .string("lease", default: "0", "lease ID (in hexadecimal) to attach to the key"),
                .bool("prev-kv", "return the previous key-value pair before modification"),
                .bool("ignore-value", "updates the key using its current value"),
                .bool("ignore-lease", "updates the key using its current lease"),
            ]),
        CtlCommandSpec(path: "del", args: "[options] <key> [range_end]", short: "Removes the specified key or range of keys [key, range_end)", flags: [
            .bool("prefix", "delete keys with matching prefix"),
            .bool("prev-kv", "return deleted key-value pairs"),
            .bool("from-key", "delete keys that are greater than or equal to the given key using byte compare"),
            // Not an etcdctl 3.5.1 flag; accepted as ketch ctl always has, never shown.
            CtlFlag.bool("range", "").hiddenFromHelp,
        ]),
        CtlCommandSpec(path: "txn", args: "[options]", short: "Txn processes all the requests in one transaction", flags: [
            .bool("interactive", short: "i", "Input transaction in interactive mode"),
        ]),
        CtlCommandSpec(path: "compaction", args: "[options] <revision>", short: "Compacts the event history in etcd", flags: [
            .bool("physical", "'true' to wait for compaction to physically remove all old revisions"),
        ]),
        CtlCommandSpec(
            path: "watch", args: "[options] [key or prefix] [range_end] [--] [exec-command arg1 arg2 ...]",
            short: "Watches events stream on keys or prefixes", flags: [
                .bool("interactive", short: "i", "Interactive mode"),
                .bool("prefix", "Watch on a prefix if prefix is set"),
                .other("rev", default: "0", "Revision to start watching"),
                .bool("prev-kv", "get the previous key-value pair before the event happens"),
                .bool("progress-notify", "get periodic watch progress notification from server"),
            ]),

        // Lease
        CtlCommandSpec(path: "lease", args: "<subcommand>", short: "Lease related commands"),
        CtlCommandSpec(path: "lease grant", args: "<ttl>", short: "Creates leases"),
        CtlCommandSpec(path: "lease revoke", args: "<leaseID>", short: "Revokes leases"),
        CtlCommandSpec(path: "lease timetolive", args: "<leaseID> [options]", short: "Get lease information", flags: [
            .bool("keys", "Get keys attached to this lease"),
        ]),
        CtlCommandSpec(path: "lease list", short: "List all active leases"),
        CtlCommandSpec(path: "lease keep-alive", args: "[options] <leaseID>", short: "Keeps leases alive (renew)", flags: [
            // sic: etcd's source rewrite left "cobrautl.Exits" in the text.
            .bool("once", "Resets the keep-alive time to its original value and cobrautl.Exits immediately"),
        ]),

        // Cluster maintenance
        CtlCommandSpec(path: "member", args: "<subcommand>", short: "Membership related commands"),
        CtlCommandSpec(path: "member add", args: "<memberName> [options]", short: "Adds a member into the cluster", flags: [
            .string("peer-urls", "comma separated peer URLs for the new member."),
            .bool("learner", "indicates if the new member is raft learner"),
        ]),
        CtlCommandSpec(path: "member remove", args: "<memberID>", short: "Removes a member from the cluster"),
        CtlCommandSpec(path: "member update", args: "<memberID> [options]", short: "Updates a member in the cluster", flags: [
            .string("peer-urls", "comma separated peer URLs for the updated member."),
        ]),
        CtlCommandSpec(
            path: "member list", short: "Lists all members in the cluster",
            long: """
                When --write-out is set to simple, this command prints out comma-separated member lists for each endpoint.
                The items in the lists are ID, Status, Name, Peer Addrs, Client Addrs, Is Learner.
                """),
        CtlCommandSpec(
            path: "member promote", args: "<memberID>", short: "Promotes a non-voting member in the cluster",
            long: "Promotes a non-voting learner member to a voting one in the cluster."),
        CtlCommandSpec(path: "endpoint", args: "<subcommand>", short: "Endpoint related commands", persistentFlags: [
            .bool("cluster", "use all endpoints from the cluster member list"),
        ]),
        CtlCommandSpec(path: "endpoint health", short: "Checks the healthiness of endpoints specified in `--endpoints` flag"),
        CtlCommandSpec(
            path: "endpoint status", short: "Prints out the status of endpoints specified in `--endpoints` flag",
            long: """
                When --write-out is set to simple, this command prints out comma-separated status lists for each endpoint.
                The items in the lists are endpoint, ID, version, db size, is leader, is learner, raft term, raft index, raft applied index, errors.
                """),
        CtlCommandSpec(path: "endpoint hashkv", short: "Prints the KV history hash for each endpoint in --endpoints", flags: [
            .other("rev", default: "0", "maximum revision to hash (default: all revisions)"),
        ]),
        CtlCommandSpec(path: "alarm", args: "<subcommand>", short: "Alarm related commands"),
        CtlCommandSpec(path: "alarm disarm", short: "Disarms all alarms"),
        CtlCommandSpec(path: "alarm list", short: "Lists all alarms"),
        CtlCommandSpec(path: "defrag", short: "Defragments the storage of the etcd members with given endpoints", flags: [
            .bool("cluster", "use all endpoints from the cluster member list"),
            .string("data-dir", "Optional. If present, defragments a data directory not in use by etcd."),
        ]),
        CtlCommandSpec(path: "move-leader", args: "<transferee-member-id>", short: "Transfers leadership to another etcd cluster member."),
        CtlCommandSpec(path: "check", args: "<subcommand>", short: "commands for checking properties of the etcd cluster"),
        CtlCommandSpec(path: "check perf", args: "[options]", short: "Check the performance of the etcd cluster", flags: [
            .string("load", default: "s",
                    "The performance check's workload model. Accepted workloads: s(small), m(medium), l(large), xl(xLarge)"),
            .string("prefix", default: "/etcdctl-check-perf/", "The prefix for writing the performance check's keys."),
            .bool("auto-compact", "Compact storage with last revision after test is finished."),
            .bool("auto-defrag", "Defragment storage after test is finished."),
        ]),

        CtlCommandSpec(
            path: "check datascale", args: "[options]",
            short: "Check the memory usage of holding data for different workloads on a given server endpoint.",
            long: "If no endpoint is provided, localhost will be used. If multiple endpoints are provided, first endpoint will be used.",
            flags: [
                .string("load", default: "s",
                        "The datascale check's workload model. Accepted workloads: s(small), m(medium), l(large), xl(xLarge)"),
                .string("prefix", default: "/etcdctl-check-datascale/", "The prefix for writing the datascale check's keys."),
                .bool("auto-compact", "Compact storage with last revision after test is finished."),
                .bool("auto-defrag", "Defragment storage after test is finished."),
            ]),

        // Concurrency
        CtlCommandSpec(path: "lock", args: "<lockname> [exec-command arg1 arg2 ...]", short: "Acquires a named lock", flags: [
            .other("ttl", default: "10", "timeout for session"),
        ]),
        CtlCommandSpec(path: "elect", args: "<election-name> [proposal]", short: "Observes and participates in leader election", flags: [
            .bool("listen", short: "l", "observation mode"),
        ]),
        CtlCommandSpec(path: "make-mirror", args: "[options] <destination>", short: "Makes a mirror at the destination etcd cluster", flags: [
            .string("prefix", "Key-value prefix to mirror"),
            .string("dest-prefix", "destination prefix to mirror a prefix to a different prefix in the destination cluster"),
            .bool("no-dest-prefix", "mirror key-values to the root of the destination cluster"),
            .string("dest-cert", "Identify secure client using this TLS certificate file for the destination cluster"),
            .string("dest-key", "Identify secure client using this TLS key file"),
            .string("dest-cacert", "Verify certificates of TLS enabled secure servers using this CA bundle"),
            .bool("dest-insecure-transport", default: true, "Disable transport security for client connections"),
            .string("dest-user", "Destination username[:password] for authentication (prompt if password is not supplied)"),
            .string("dest-password",
                    "Destination password for authentication (if this option is used, --user option shouldn't include password)"),
        ]),

        // Snapshots
        CtlCommandSpec(path: "snapshot", args: "<subcommand>", short: "Manages etcd node snapshots"),
        CtlCommandSpec(path: "snapshot save", args: "<filename>", short: "Stores an etcd node backend snapshot to a given file"),
        CtlCommandSpec(
            path: "snapshot restore", args: "<filename> [options]", short: "Restores an etcd member snapshot to an etcd directory",
            long: "Moved to `etcdctl snapshot restore ...`",
            flags: [
                .string("data-dir", "Path to the data directory"),
                .string("wal-dir", "Path to the WAL directory (use --data-dir if none given)"),
                .string("initial-cluster", default: "default=http://localhost:2380", "Initial cluster configuration for restore bootstrap"),
                .string("initial-cluster-token", default: "etcd-cluster",
                        "Initial cluster token for the etcd cluster during restore bootstrap"),
                .string("initial-advertise-peer-urls", default: "http://localhost:2380",
                        "List of this member's peer URLs to advertise to the rest of the cluster"),
                .string("name", default: "default", "Human-readable name for this member"),
                .bool("skip-hash-check", "Ignore snapshot integrity hash value (required if copied from data directory)"),
            ]),
        CtlCommandSpec(
            path: "snapshot status", args: "<filename>", short: "[deprecated] Gets backend snapshot status of a given file",
            long: """
                When --write-out is set to simple, this command prints out comma-separated status lists for each endpoint.
                The items in the lists are hash, revision, total keys, total size.

                Moved to 'etcdctl snapshot status ...'
                """),

        // Auth
        CtlCommandSpec(path: "auth", args: "<enable or disable>", short: "Enable or disable authentication"),
        CtlCommandSpec(path: "auth enable", short: "Enables authentication"),
        CtlCommandSpec(path: "auth disable", short: "Disables authentication"),
        CtlCommandSpec(path: "auth status", short: "Returns authentication status"),
        CtlCommandSpec(path: "user", args: "<subcommand>", short: "User related commands"),
        CtlCommandSpec(path: "user add", args: "<user name or user:password> [options]", short: "Adds a new user", flags: [
            .bool("interactive", default: true, "Read password from stdin instead of interactive terminal"),
            .string("new-user-password", "Supply password from the command line flag"),
            .bool("no-password", "Create a user without password (CN based auth only)"),
        ]),
        CtlCommandSpec(path: "user delete", args: "<user name>", short: "Deletes a user"),
        CtlCommandSpec(path: "user get", args: "<user name> [options]", short: "Gets detailed information of a user", flags: [
            .bool("detail", "Show permissions of roles granted to the user"),
        ]),
        CtlCommandSpec(path: "user list", short: "Lists all users"),
        CtlCommandSpec(path: "user passwd", args: "<user name> [options]", short: "Changes password of user", flags: [
            .bool("interactive", default: true, "If true, read password from stdin instead of interactive terminal"),
        ]),
        CtlCommandSpec(path: "user grant-role", args: "<user name> <role name>", short: "Grants a role to a user"),
        CtlCommandSpec(path: "user revoke-role", args: "<user name> <role name>", short: "Revokes a role from a user"),
        CtlCommandSpec(path: "role", args: "<subcommand>", short: "Role related commands"),
        CtlCommandSpec(path: "role add", args: "<role name>", short: "Adds a new role"),
        CtlCommandSpec(path: "role delete", args: "<role name>", short: "Deletes a role"),
        CtlCommandSpec(path: "role get", args: "<role name>", short: "Gets detailed information of a role"),
        CtlCommandSpec(path: "role list", short: "Lists all roles"),
        CtlCommandSpec(
            path: "role grant-permission", args: "[options] <role name> <permission type> <key> [endkey]",
            short: "Grants a key to a role", flags: [
                .bool("prefix", "grant a prefix permission"),
                .bool("from-key", "grant a permission of keys that are greater than or equal to the given key using byte compare"),
            ]),
        CtlCommandSpec(path: "role revoke-permission", args: "<role name> <key> [endkey]", short: "Revokes a key from a role", flags: [
            .bool("prefix", "revoke a prefix permission"),
            .bool("from-key", "revoke a permission of keys that are greater than or equal to the given key using byte compare"),
        ]),

        // Utility
        CtlCommandSpec(path: "version", short: "Prints the version of etcdctl"),
        // cobra's own help command.
        CtlCommandSpec(
            path: "help", args: "[command]", short: "Help about any command",
            long: """
                Help provides help for any command in the application.
                Simply type etcdctl help [path to command] for full details.
                """),
    ]

    /// etcdctl commands ketch ctl does not serve: asking for their help gets the "does not
    /// implement" error that running them gets. (None left: every etcdctl 3.5.1 command is served.)
    static let unserved: Set<String> = []

    private static let byPath: [String: CtlCommandSpec] = Dictionary(
        uniqueKeysWithValues: (commands + [root]).map { ($0.path, $0) })

    /// The commands directly below `spec`, sorted by name as cobra sorts them.
    static func children(of spec: CtlCommandSpec) -> [CtlCommandSpec] {
        let depth = spec.components.count
        return commands.filter { c in
            c.components.count == depth + 1 && Array(c.components.prefix(depth)) == spec.components
        }.sorted { $0.name < $1.name }
    }

    /// A command is runnable unless it is a group (cobra gives groups no Run).
    static func isRunnable(_ spec: CtlCommandSpec) -> Bool { !spec.isRoot && children(of: spec).isEmpty }

    /// The persistent flags `spec` inherits from the groups above it (not the global ones).
    static func inheritedCommandFlags(of spec: CtlCommandSpec) -> [CtlFlag] {
        let parts = spec.components
        guard parts.count > 1 else { return [] }
        return (1..<parts.count).flatMap { n in byPath[parts.prefix(n).joined(separator: " ")]?.persistentFlags ?? [] }
    }

    /// cobra's `Find`: the command the leading words name and the words left over.
    static func find(_ words: [String]) -> (CtlCommandSpec, [String]) {
        var spec = root
        var rest = words[...]
        while let word = rest.first, let next = children(of: spec).first(where: { $0.name == word }) {
            spec = next
            rest = rest.dropFirst()
        }
        return (spec, Array(rest))
    }

    /// Prints help when the command line asks for it, as cobra does, and returns the exit code;
    /// nil when the command is to run. Help goes to stdout with exit code 0: for `--help`/`-h`,
    /// for `help [command]`, and for a group or the root named without a (known) subcommand.
    static func handle(_ p: CtlParsedArguments) throws -> Int32? {
        if p.path == ["help"], !p.flag("help") {
            let words = p.positionals
            if let name = unservedPrefix(words) { throw notImplemented(name) }
            let (spec, rest) = find(words)
            if spec.isRoot, !rest.isEmpty {
                // cobra: "Unknown help topic" on stderr, then the root's usage, in which the root has
                // no help flag yet (it was never run).
                CtlIO.err("Unknown help topic [\(rest.map(goBackquote).joined(separator: " "))]\n")
                CtlIO.out(text(for: root, withHelpFlag: false))
            } else {
                CtlIO.out(text(for: spec))
            }
            return CtlExit.success
        }
        if unservedPrefix(p.path) != nil { return nil }
        let (spec, rest) = find(p.path)
        if spec.isRoot, !rest.isEmpty { return nil }  // unknown command: dispatch reports it
        guard p.flag("help") || !isRunnable(spec) else { return nil }
        CtlIO.out(text(for: spec))
        return CtlExit.success
    }

    private static func unservedPrefix(_ words: [String]) -> String? {
        let one = words.prefix(1).joined(separator: " "), two = words.prefix(2).joined(separator: " ")
        return unserved.contains(two) ? two : unserved.contains(one) ? one : nil
    }

    static func notImplemented(_ path: String) -> CtlFailure {
        CtlFailure(CtlExit.error, "ketch ctl does not implement \"\(path)\" yet")
    }

    /// Go's `%#q` of a string: backquoted when it can be, else `strconv.Quote`d.
    static func goBackquote(_ s: String) -> String {
        let canBackquote = s.unicodeScalars.allSatisfy { c in
            c != "`" && c != "\u{FEFF}" && (c == "\t" || (c.value >= 0x20 && c.value != 0x7F))
        }
        return canBackquote ? "`" + s + "`" : GoQuote.quote(s)
    }

    // MARK: Rendering

    /// The help of `spec`: etcd's cobra usage template (pkg/cobrautl/help.go), then Go's tabwriter.
    static func text(for spec: CtlCommandSpec, withHelpFlag: Bool = true) -> String {
        var s = "NAME:\n\t\(spec.isRoot ? "etcdctl" : spec.path) - \(spec.short)\n\n"
        // cobra's UseLine: the parent's command path, then Use, then " [flags]".
        let use = (spec.isRoot ? [] : [spec.name + (spec.args.isEmpty ? "" : " " + spec.args)])
        s += "USAGE:\n\t\((["etcdctl"] + spec.components.dropLast() + use).joined(separator: " ")) [flags]\n"
        if spec.isRoot {
            s += "\nVERSION:\n\t\(CtlCluster.etcdctlVersion)\n"
        }
        let subcommands = runnableDescendants(of: spec)
        if !children(of: spec).isEmpty {
            s += "\nAPI VERSION:\n\t\(CtlCluster.apiVersion)\n"
            s += "\n\nCOMMANDS:\n"
            for sub in subcommands {
                s += "\t\(sub.components.dropFirst(spec.components.count).joined(separator: " "))\t\(sub.short)\n"
            }
        }
        if !spec.long.isEmpty {
            s += "\nDESCRIPTION:\n"
            for line in spec.long.trimmingCharacters(in: CharacterSet(charactersIn: "\n\t ")).split(
                separator: "\n", omittingEmptySubsequences: false)
            {
                s += "\t\(line)\n"
            }
        }
        var help = CtlArgumentParser.helpFlag
        help.usage = "help for \(spec.name)"
        let globals = CtlArgumentParser.globalFlags.filter { $0.name != help.name }
        let local = spec.isRoot ? globals + (withHelpFlag ? [help] : []) : spec.flags + spec.persistentFlags + [help]
        let inherited = spec.isRoot ? [] : globals + inheritedCommandFlags(of: spec)
        if !local.isEmpty {
            s += "\nOPTIONS:\n" + flagUsages(local)
        }
        if !inherited.isEmpty {
            s += "\nGLOBAL OPTIONS:\n" + flagUsages(inherited)
        }
        return GoTabWriter.format(s + "\n")
    }

    /// Runnable commands below `spec`, depth first in name order (cobrautl's getSubCommands).
    private static func runnableDescendants(of spec: CtlCommandSpec) -> [CtlCommandSpec] {
        children(of: spec).flatMap { c in (isRunnable(c) ? [c] : []) + runnableDescendants(of: c) }
    }

    /// cobrautl's etcdFlagUsages: one line per flag, sorted by name as pflag visits them.
    static func flagUsages(_ flags: [CtlFlag]) -> String {
        flags.filter { !$0.hidden }.sorted { $0.name < $1.name }.map { f in
            var line = f.short.map { "  -\($0), --\(f.name)" } ?? "      --\(f.name)"
            switch f.kind {
            case .bool: line += "[=\(f.defaultValue)]"
            case .string: line += "=" + GoQuote.quote(f.defaultValue)
            case .other: line += "=\(f.defaultValue)"
            }
            return line + "\t\(f.usage)\n"
        }.joined()
    }
}

/// Go's `text/tabwriter` as etcd configures it for help (`Init(w, 0, 8, 1, '\t', 0)`): cells are
/// tab-terminated, a column block is a run of consecutive lines that have a cell in that column,
/// and each cell is padded with tabs to the block's widest cell plus one, rounded up to a tab stop.
enum GoTabWriter {
    static func format(_ text: String, tabWidth: Int = 8, padding: Int = 1) -> String {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map {
            $0.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
        }
        var out = ""
        var widths: [Int] = []

        func writePadding(_ textWidth: Int, _ cellWidth: Int) {
            let cell = (cellWidth + tabWidth - 1) / tabWidth * tabWidth
            out += String(repeating: "\t", count: (cell - textWidth + tabWidth - 1) / tabWidth)
        }
        func writeLines(_ line0: Int, _ line1: Int) {
            for i in line0..<line1 {
                for (j, cell) in lines[i].enumerated() {
                    out += cell
                    if j < widths.count { writePadding(cell.unicodeScalars.count, widths[j]) }
                }
                if i + 1 < lines.count { out += "\n" }
            }
        }
        // The last cell of a line is not tab-terminated and belongs to no column.
        func format(_ start: Int, _ end: Int) {
            var line0 = start
            let column = widths.count
            var this = start
            while this < end {
                if column >= lines[this].count - 1 {
                    this += 1
                    continue
                }
                writeLines(line0, this)
                line0 = this
                var width = 0
                while this < end, column < lines[this].count - 1 {
                    width = max(width, lines[this][column].unicodeScalars.count + padding)
                    this += 1
                }
                widths.append(width)
                format(line0, this)
                widths.removeLast()
                line0 = this
            }
            writeLines(line0, end)
        }
        format(0, lines.count)
        return out
    }
}
