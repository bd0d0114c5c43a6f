import Testing
@testable import KetchCtl

/// Whole command lines run in-process with no server: exit codes and stderr as etcdctl 3.5.1 has
/// them for bad input (each of these fails before any connection is made).
@Suite struct CtlCommandLineTests {
    /// No server listens here; the short timeouts keep a mistaken dial quick.
    private static let nowhere = ["--endpoints=127.0.0.1:1", "--dial-timeout=200ms", "--command-timeout=300ms"]

    @Test(arguments: [
        (["foo"], CtlExit.error, "unknown command \"foo\" for \"etcdctl\"\nRun 'etcdctl --help' for usage."),
        (["foo", "--help"], CtlExit.error, "unknown command \"foo\" for \"etcdctl\"\nRun 'etcdctl --help' for usage."),
        (["get", "--nope"], CtlExit.error, "unknown flag: --nope"),
        (["get"], CtlExit.badArgs, "get command needs one argument as key and an optional argument as range_end"),
        (["put"], CtlExit.badArgs, "put command needs 1 argument and input from stdin or 2 arguments"),
        (["put", "k", "v", "--lease=zz"], CtlExit.badArgs,
         #"bad lease ID (strconv.ParseInt: parsing "zz": invalid syntax), expecting ID in Hex"#),
        (["del"], CtlExit.badArgs, "del command needs one argument as key and an optional argument as range_end"),
        (["get", "k", "--consistency=x"], CtlExit.badFeature, #"unknown consistency flag "x""#),
        (["get", "k", "--order=x"], CtlExit.badFeature, "bad sort order x"),
        (["get", "k", "--sort-by=x"], CtlExit.badFeature, "bad sort target x"),
        (["get", "k", "--prefix", "--from-key"], CtlExit.badArgs,
         "`--prefix` and `--from-key` cannot be set at the same time, choose one"),
        (["get", "k", "--print-value-only", "-w", "json"], CtlExit.badArgs, "print-value-only is only for `--write-out=simple`"),
        (["get", "k", "--count-only"], CtlExit.badArgs, "--count-only is only for `--write-out=fields`"),
        (["get", "k", "-w", "yaml"], CtlExit.badFeature, "unsupported output format"),
        (["lease", "grant"], CtlExit.badArgs, "lease grant command needs TTL argument"),
        (["lease", "grant", "x"], CtlExit.badArgs, #"bad TTL (strconv.ParseInt: parsing "x": invalid syntax)"#),
        (["-w", "yaml", "lease", "grant", "10"], CtlExit.badFeature, "unsupported output format"),
        (["lease", "revoke"], CtlExit.badArgs, "lease revoke command needs 1 argument"),
        (["lease", "revoke", "zz"], CtlExit.badArgs,
         #"bad lease ID arg (strconv.ParseInt: parsing "zz": invalid syntax), expecting ID in Hex"#),
        (["lease", "timetolive"], CtlExit.badArgs, "lease timetolive command needs lease ID as argument"),
        (["compaction"], CtlExit.badArgs, "compaction command needs 1 argument"),
        (["compaction", "x"], CtlExit.error, #"strconv.ParseInt: parsing "x": invalid syntax"#),
        (["member", "add"], CtlExit.badArgs, "member name not provided"),
        (["member", "add", "m"], CtlExit.badArgs, "member peer urls not provided"),
        (["member", "add", "m", "--peer-urls=ftp://x:1"], CtlExit.error, "URL scheme must be http, https, unix, or unixs: ftp://x:1"),
        (["member", "remove"], CtlExit.badArgs, "member ID is not provided"),
        (["member", "remove", "zz"], CtlExit.badArgs,
         #"bad member ID arg (strconv.ParseUint: parsing "zz": invalid syntax), expecting ID in Hex"#),
        (["member", "update", "1"], CtlExit.badArgs, "member peer urls not provided"),
        (["move-leader", "zz"], CtlExit.badArgs, #"strconv.ParseUint: parsing "zz": invalid syntax"#),
        (["txn", "extra"], CtlExit.badArgs, "txn command does not accept argument"),
        (["alarm", "list", "x"], CtlExit.badArgs, "alarm list command accepts no arguments"),
        (["auth", "enable", "x"], CtlExit.badArgs, "auth enable command does not accept any arguments"),
        (["user", "add"], CtlExit.badArgs, "user add command requires user name as its argument"),
        (["user", "get"], CtlExit.badArgs, "user get command requires user name as its argument"),
        (["role", "grant-permission", "r"], CtlExit.badArgs,
         "role grant command requires role name, permission type, and key [endkey] as its argument"),
        (["role", "grant-permission", "r", "bogus", "k"], CtlExit.badArgs, "invalid permission type: bogus"),
        (["check", "perf", "--load=huge"], CtlExit.badFeature, "unknown load option huge"),
        (["defrag", "--cluster=maybe"], CtlExit.error,
         #"invalid argument "maybe" for "--cluster" flag: strconv.ParseBool: parsing "maybe": invalid syntax"#),
        (["--dial-timeout=x", "get", "--help"], CtlExit.error,
         #"invalid argument "x" for "--dial-timeout" flag: time: invalid duration "x""#),
    ] as [([String], Int32, String)])
    func badInput(args: [String], code: Int32, message: String) async {
        let run = await ctl(Self.nowhere + args)
        #expect(run.code == code, "\(args)")
        #expect(run.stderr == "Error: \(message)\n", "\(args)")
        #expect(run.stdout.isEmpty, "\(args)")
    }

    @Test func unreachableEndpointIsADeadlineExceeded() async {
        let run = await ctl(Self.nowhere + ["get", "k"])
        #expect(run.code == CtlExit.error)
        #expect(run.stderr.hasSuffix("Error: context deadline exceeded\n"))
        #expect(run.stdout.isEmpty)
    }

    @Test func version() async {
        let run = await ctl(["version"])
        #expect(run.code == 0)
        #expect(run.stdout == "etcdctl version: 3.5.1\nAPI version: 3.5\n")
    }

    @Test func apiVersionFromTheEnvironment() async {
        let bad = await ctl(["version"], environment: ["ETCDCTL_API": "4"])
        #expect(bad.code == CtlExit.error)
        #expect(bad.stderr == "unsupported API version: 4\n")
        let three = await ctl(["version"], environment: ["ETCDCTL_API": "3"])
        #expect(three.stdout == "etcdctl version: 3.5.1\nAPI version: 3.5\n")
        let two = await ctl(["--version"], environment: ["ETCDCTL_API": "2"])
        #expect(two.code == 0)
        #expect(two.stdout == "etcdctl version: 3.5.1\nAPI version: 2\n")
    }

    @Test func v2UnknownFlagIsUsageAndExitOne() async {
        let run = await ctl(["--nope", "ls"], environment: ["ETCDCTL_API": "2"])
        #expect(run.code == 1)
        #expect(run.stderr == "flag provided but not defined: -nope\n")
        #expect(run.stdout.hasPrefix("Incorrect Usage. flag provided but not defined: -nope\n\nNAME:\n   etcdctl - "))
    }
}
