import Testing
@testable import KetchCtl

/// cobra/pflag's rules as etcdctl 3.5.1 applies them; error texts are etcdctl's own.
@Suite struct CtlArgumentParserTests {
    private func failure(_ args: [String]) -> CtlFailure? {
        do {
            _ = try CtlArgumentParser.parse(args)
            return nil
        } catch {
            return error as? CtlFailure
        }
    }

    @Test func flagsMayComeBeforeOrAfterTheCommand() throws {
        for args in [["--endpoints", "a:1", "get", "k", "-w", "json"], ["get", "k", "--endpoints=a:1", "-w", "json"],
                     ["-w", "json", "get", "--endpoints", "a:1", "k"]] {
            let p = try CtlArgumentParser.parse(args)
            #expect(p.path == ["get"], "\(args)")
            #expect(p.positionals == ["k"], "\(args)")
            #expect(p.value("endpoints") == "a:1", "\(args)")
            #expect(p.value("write-out") == "json", "\(args)")
        }
    }

    @Test func shorthandValueForms() throws {
        for args in [["get", "k", "-w", "fields"], ["get", "k", "-wfields"], ["get", "k", "-w=fields"]] {
            #expect(try CtlArgumentParser.parse(args).value("write-out") == "fields", "\(args)")
        }
    }

    @Test func boolFlags() throws {
        let on = try CtlArgumentParser.parse(["get", "--prefix", "k"])
        #expect(on.flag("prefix"))
        #expect(on.positionals == ["k"])
        let off = try CtlArgumentParser.parse(["get", "--prefix=false", "k"])
        #expect(!off.flag("prefix"))
        #expect(off.wasSet("prefix"))
        #expect(!off.wasSet("from-key"))
        for spelled in ["1", "t", "TRUE", "True"] {
            #expect(try CtlArgumentParser.parse(["get", "--keys-only=\(spelled)", "k"]).flag("keys-only"))
        }
        // Combined shorthand booleans (`txn -ih`) and `-l=false`.
        let txn = try CtlArgumentParser.parse(["txn", "-ih"])
        #expect(txn.flag("interactive") && txn.flag("help"))
        #expect(try !CtlArgumentParser.parse(["elect", "-l=false", "e"]).flag("listen"))
    }

    @Test func commandPathsOfGroups() throws {
        #expect(try CtlArgumentParser.parse(["member", "list", "-w", "table"]).path == ["member", "list"])
        // A group's persistent flag before the subcommand does not take the subcommand as a value.
        let status = try CtlArgumentParser.parse(["endpoint", "--cluster", "status"])
        #expect(status.path == ["endpoint", "status"])
        #expect(status.flag("cluster"))
        #expect(try CtlArgumentParser.parse(["lease", "grant", "10"]).positionals == ["10"])
        #expect(try CtlArgumentParser.parse(["version", "extra"]).path == ["version"])
    }

    @Test func doubleDashEndsFlags() throws {
        let put = try CtlArgumentParser.parse(["put", "--", "k", "-v"])
        #expect(put.path == ["put"])
        #expect(put.positionals == ["k", "-v"])
        let watch = try CtlArgumentParser.parse(["watch", "k", "--", "echo", "-n", "hi"])
        #expect(watch.afterSeparator == ["echo", "-n", "hi"])
        #expect(watch.positionals == ["k", "echo", "-n", "hi"])
        #expect(try CtlArgumentParser.parse(["get", "k"]).afterSeparator == nil)
    }

    @Test func etcdctlErrorTexts() {
        let cases: [([String], String)] = [
            (["get", "--nope"], "unknown flag: --nope"),
            (["get", "-z"], "unknown shorthand flag: 'z' in -z"),
            (["get", "k", "-l=false"], "unknown shorthand flag: 'l' in -l=false"),
            (["get", "--endpoints"], "flag needs an argument: --endpoints"),
            (["get", "k", "-w"], "flag needs an argument: 'w' in -w"),
            (["put", "--prefix", "k", "v"], "unknown flag: --prefix"),
            (["get", "--prefix=maybe", "k"],
             #"invalid argument "maybe" for "--prefix" flag: strconv.ParseBool: parsing "maybe": invalid syntax"#),
            (["--hex=x", "version"], #"invalid argument "x" for "--hex" flag: strconv.ParseBool: parsing "x": invalid syntax"#),
        ]
        for (args, message) in cases {
            let f = failure(args)
            #expect(f?.message == message, "\(args)")
            #expect(f?.code == CtlExit.error, "\(args)")
        }
    }

    @Test func int64FlagsUsePflagsErrorText() throws {
        #expect(try CtlArgumentParser.parse(["get", "k", "--limit", "7"]).int64("limit") == 7)
        #expect(try CtlArgumentParser.parse(["get", "k"]).int64("limit") == 0)
        let p = try CtlArgumentParser.parse(["get", "k", "--limit=x"])
        #expect(throws: CtlFailure.self) { try p.int64("limit") }
        do {
            _ = try p.int64("limit")
        } catch let f as CtlFailure {
            #expect(f.message == #"invalid argument "x" for "--limit" flag: strconv.ParseInt: parsing "x": invalid syntax"#)
        }
    }

    @Test func everyCommandOfTheHelpTableParses() throws {
        for spec in CtlHelp.commands {
            let p = try CtlArgumentParser.parse(spec.components + ["--help"])
            #expect(p.path == Array(spec.components.prefix(2)), "\(spec.path)")
            #expect(p.flag("help"))
        }
    }
}
