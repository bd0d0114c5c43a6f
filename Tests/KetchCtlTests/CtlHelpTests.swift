import Testing
@testable import KetchCtl

/// Help against etcdctl 3.5.1's own output (Fixtures/help-*.txt, recorded from etcdctl).
@Suite struct CtlHelpTests {
    private func spec(_ path: String) throws -> CtlCommandSpec {
        try #require(CtlHelp.commands.first { $0.path == path })
    }

    @Test(arguments: [
        ("get", "help-get"), ("lease", "help-lease"), ("member list", "help-member-list"),
        ("endpoint status", "help-endpoint-status"), ("txn", "help-txn"),
    ])
    func commandHelpIsEtcdctls(path: String, file: String) throws {
        #expect(CtlHelp.text(for: try spec(path)) == (try fixture(file)))
    }

    @Test func rootHelpIsEtcdctls() throws {
        #expect(CtlCommand.usage == (try fixture("help-root")))
    }

    @Test func stableLines() throws {
        let root = CtlCommand.usage
        #expect(root.hasPrefix("NAME:\n\tetcdctl - A simple command line client for etcd3.\n\nUSAGE:\n\tetcdctl [flags]\n"))
        #expect(root.contains("\nVERSION:\n\t3.5.1\n\nAPI VERSION:\n\t3.5\n"))
        #expect(root.contains("\n\tmember list\t\tLists all members in the cluster\n"))
        #expect(root.contains("  -w, --write-out=\"simple\"\t\t\tset the output format (fields, json, protobuf, simple, table)\n"))
        // Hidden flags are accepted but never shown.
        #expect(!root.contains("auth-jwt-token"))
        #expect(!CtlHelp.text(for: try spec("del")).contains("--range"))
    }

    @Test(arguments: [["get", "--help"], ["get", "-h"], ["help", "get"], ["get", "k", "--help=true"]])
    func askingForHelp(args: [String]) async throws {
        let run = await ctl(args)
        #expect(run.code == 0)
        #expect(run.stdout == (try fixture("help-get")))
        #expect(run.stderr.isEmpty)
    }

    @Test func aGroupAloneIsItsHelp() async throws {
        for args in [["lease"], ["lease", "no-such-subcommand"], ["help", "lease"]] {
            let run = await ctl(args)
            #expect(run.code == 0, "\(args)")
            #expect(run.stdout == (try fixture("help-lease")), "\(args)")
        }
    }

    @Test func unknownHelpTopic() async throws {
        let run = await ctl(["help", "nope", "x"])
        #expect(run.code == 0)
        #expect(run.stderr == "Unknown help topic [`nope` `x`]\n")
        // The root's usage, in which the root has no help flag yet (cobra never ran it).
        #expect(run.stdout == (try fixture("help-unknown-topic")))
    }

    @Test func tabWriterAlignsColumnBlocks() {
        #expect(GoTabWriter.format("a\tb\nccccccccc\td\n\nx\ty\n") == "a\t\tb\nccccccccc\td\n\nx\ty\n")
    }

    @Test func goBackquote() {
        #expect(CtlHelp.goBackquote("plain") == "`plain`")
        #expect(CtlHelp.goBackquote("tick`") == #""tick`""#)
        #expect(CtlHelp.goBackquote("nl\n") == #""nl\n""#)
    }
}
