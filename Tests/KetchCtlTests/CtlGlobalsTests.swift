import Testing
@testable import KetchCtl

/// etcdctl's global options: flags, else ETCDCTL_* variables, else the defaults.
@Suite struct CtlGlobalsTests {
    private func make(_ args: [String], _ environment: [String: String] = [:]) throws -> CtlGlobals {
        try CtlGlobals(CtlArgumentParser.parse(args + ["get", "k"]), environment: environment)
    }

    @Test func defaults() throws {
        let g = try make([])
        #expect(g.endpoints == ["127.0.0.1:2379"])
        #expect(g.writeOut == "simple")
        #expect(!g.hex)
        #expect(g.dialTimeout == .seconds(2))
        #expect(g.commandTimeout == .seconds(5))
        #expect(g.user == nil && g.password == nil)
    }

    @Test func endpointsAreSplitAndTrimmed() throws {
        #expect(try make(["--endpoints= a:1, b:2 ,"]).endpoints == ["a:1", "b:2"])
        #expect(try make([], ["ETCDCTL_ENDPOINTS": "c:3"]).endpoints == ["c:3"])
        #expect(try make(["--endpoints=a:1"], ["ETCDCTL_ENDPOINTS": "c:3"]).endpoints == ["a:1"])
    }

    @Test func writeOutAndHex() throws {
        #expect(try make(["-w", "json"]).writeOut == "json")
        #expect(try make([], ["ETCDCTL_WRITE_OUT": "fields"]).writeOut == "fields")
        #expect(try make(["--hex"]).hex)
        #expect(try make([], ["ETCDCTL_HEX": "true"]).hex)
        #expect(try !make(["--hex=false"], ["ETCDCTL_HEX": "true"]).hex)
        #expect {
            try make([], ["ETCDCTL_HEX": "maybe"])
        } throws: { ($0 as? CtlFailure)?.message == #"invalid value "maybe" for ETCDCTL_HEX"# }
    }

    @Test func timeouts() throws {
        let g = try make(["--dial-timeout=300ms", "--command-timeout=1m"])
        #expect(g.dialTimeout == .milliseconds(300))
        #expect(g.commandTimeout == .seconds(60))
        // A dial may not outlast the command.
        let slowDial = try make(["--dial-timeout=10s", "--command-timeout=1s"]).clientConfiguration()
        #expect(slowDial.dialTimeout == .seconds(1))
        #expect(slowDial.requestTimeout == .seconds(1))
        #expect {
            try make(["--command-timeout=5"])
        } throws: {
            ($0 as? CtlFailure)?.message == #"invalid argument "5" for "--command-timeout" flag: time: invalid duration "5""#
        }
    }

    @Test func userAndPassword() throws {
        let split = try make(["--user=root:secret"])
        #expect(split.user == "root" && split.password == "secret")
        let separate = try make(["--user=root:x", "--password=p"])
        #expect(separate.user == "root:x" && separate.password == "p")
        #expect(try make([], ["ETCDCTL_USER": "u:p"]).password == "p")
    }

    @Test func outputFormatValidation() throws {
        #expect {
            try CtlPrinter(writeOut: "yaml", hex: false)
        } throws: { ($0 as? CtlFailure).map { $0.code == CtlExit.badFeature && $0.message == "unsupported output format" } ?? false }
        #expect {
            try CtlFormat(make(["-w", "xml"]))
        } throws: { ($0 as? CtlFailure).map { $0.code == CtlExit.badFeature && $0.message == "unsupported output format" } ?? false }
        for name in ["simple", "json", "fields", "table", "protobuf"] {
            #expect(try CtlFormat(make(["-w", name])).rawValue == name)
        }
        #expect(CtlFormat.table.unsupported.message == "table not supported as output format")
        #expect(CtlFormat.protobuf.unsupported.code == CtlExit.badFeature)
        #expect(try CtlFormat.protobuf.kvPrinter(make(["--hex"])).format == .simple)
        #expect(try CtlFormat.fields.kvPrinter(make([])).format == .fields)
    }
}
