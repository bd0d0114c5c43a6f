import Logging
import Testing
@testable import EtcdServerConfig

/// etcd 3.5.1's precedence: a config file alone; else a variable fills what no flag set, and a
/// variable beside a flag for the same setting is fatal.
@Suite struct EtcdConfigResolverTests {
    private func resolve(
        _ flags: [(name: String, value: String)] = [], environment: [String: String] = [:]
    ) throws -> (EtcdServerOptions, [EtcdLogNote]) {
        var resolver = EtcdConfigResolver()
        let options = try resolver.resolve(flags: flags, environment: environment)
        return (options, resolver.notes)
    }

    @Test func defaultsWithoutFlagsOrVariables() throws {
        let (options, notes) = try resolve(environment: ["PATH": "/bin", "HOME": "/root"])
        #expect(options.name == "default")
        #expect(options.dataDirectory == "default.etcd")
        #expect(options.listenClientURLs == ["http://localhost:2379"])
        #expect(options.maxTxnOps == 128)
        #expect(options.effectiveQuotaBackendBytes == EtcdServerOptions.defaultQuotaBackendBytes)
        #expect(notes.isEmpty)
    }

    @Test func aVariableFillsWhatNoFlagSet() throws {
        let (options, _) = try resolve(
            [("name", "from-flag"), ("max-request-bytes", "2000000")],
            environment: [
                "ETCD_MAX_TXN_OPS": "3", "ETCD_DATA_DIR": "/var/lib/etcd",
                "ETCD_LISTEN_CLIENT_URLS": "http://127.0.0.1:1, http://127.0.0.1:2",
                "ETCD_ENABLE_V2": "true", "ETCD_EXPERIMENTAL_WATCH_PROGRESS_NOTIFY_INTERVAL": "5s",
            ])
        #expect(options.name == "from-flag")
        #expect(options.maxRequestBytes == 2_000_000)
        #expect(options.maxTxnOps == 3)
        #expect(options.dataDirectory == "/var/lib/etcd")
        #expect(options.listenClientURLs == ["http://127.0.0.1:1", "http://127.0.0.1:2"])
        #expect(options.enableV2)
        #expect(options.watchProgressNotifyInterval == .seconds(5))
    }

    @Test func theLastOfARepeatedFlagWins() throws {
        let (options, _) = try resolve([("name", "first"), ("name", "second")])
        #expect(options.name == "second")
    }

    @Test func aVariableBesideItsFlagIsFatal() {
        #expect(throws: EtcdConfigResolver.Failure.conflict(variable: "ETCD_NAME")) {
            try resolve([("name", "flag-name")], environment: ["ETCD_NAME": "env-name"])
        }
        let note = EtcdConfigResolver.Failure.conflict(variable: "ETCD_NAME").note
        #expect(note.level == .critical)
        #expect(note.message.hasPrefix("conflicting environment variable is shadowed by corresponding command-line flag"))
        #expect(note.metadata["environment-variable"] == "ETCD_NAME")
    }

    @Test func aVariableThatDoesNotParseIsFatal() {
        #expect(throws: EtcdConfigResolver.Failure.invalid("invalid value \"lots\" for ETCD_MAX_TXN_OPS: parse error")) {
            try resolve(environment: ["ETCD_MAX_TXN_OPS": "lots"])
        }
        #expect(throws: EtcdConfigResolver.Failure.invalid("invalid value \"-1\" for ETCD_MAX_TXN_OPS: parse error")) {
            try resolve(environment: ["ETCD_MAX_TXN_OPS": "-1"])
        }
        let note = EtcdConfigResolver.Failure.invalid("why").note
        #expect(note.level == .warning && note.message == "failed to verify flags" && note.metadata["error"] == "why")
    }

    @Test func unknownVariablesAreOnlyWarnedAbout() throws {
        let (options, notes) = try resolve(environment: ["ETCD_NOT_A_SETTING": "1", "ETCD_NAME": "n"])
        #expect(options.name == "n")
        #expect(notes.count == 1)
        #expect(notes.first?.message == "unrecognized environment variable")
        #expect(notes.first?.metadata["environment-variable"] == "ETCD_NOT_A_SETTING=1")
    }

    @Test func settingsWithoutEffectAreNamedWithTheirSource() throws {
        let (_, notes) = try resolve([("snapshot-count", "5")], environment: ["ETCD_HEARTBEAT_INTERVAL": "100"])
        #expect(notes.map(\.message) == Array(repeating: "flag has no effect on a single Ketch member; ignored", count: 2))
        #expect(notes[0].metadata["flag"] == "--snapshot-count=5")
        #expect(notes[1].metadata["environment-variable"] == "ETCD_HEARTBEAT_INTERVAL=100")
    }

    @Test func aConfigFileAloneConfiguresTheServer() throws {
        let directory = try TemporaryDirectory()
        let file = try directory.write("etcd.yml", "name: from-file\nmax-txn-ops: 64\n")
        // Flags and variables beside the file are ignored unchecked, even conflicting or invalid ones.
        let (options, notes) = try resolve(
            [("config-file", file), ("name", "from-flag")],
            environment: ["ETCD_NAME": "from-env", "ETCD_MAX_TXN_OPS": "lots", "ETCD_NOT_A_SETTING": "1"])
        #expect(options.name == "from-file")
        #expect(options.maxTxnOps == 64)
        #expect(notes.map(\.message) == [
            "loaded server configuration, other configuration command line flags and environment variables will be ignored if provided",
        ])
        #expect(notes[0].metadata["path"] == .string(file))
    }

    @Test func theConfigFileMayComeFromTheEnvironment() throws {
        let directory = try TemporaryDirectory()
        let file = try directory.write("etcd.yml", "name: from-file\nsnapshot-count: 10000\n")
        let (options, notes) = try resolve([("name", "from-flag")], environment: ["ETCD_CONFIG_FILE": file])
        #expect(options.name == "from-file")
        #expect(notes.last?.message == "setting has no effect on a single Ketch member; ignored")
        #expect(notes.last?.metadata["config-file-key"] == "snapshot-count")
    }

    @Test func aConfigFileFlagWinsOverTheVariable() throws {
        let directory = try TemporaryDirectory()
        let flagFile = try directory.write("flag.yml", "name: flag-file\n")
        let envFile = try directory.write("env.yml", "name: env-file\n")
        let (options, _) = try resolve([("config-file", flagFile)], environment: ["ETCD_CONFIG_FILE": envFile])
        #expect(options.name == "flag-file")
    }

    @Test func aConfigFileThatCannotBeUsedIsFatal() throws {
        let directory = try TemporaryDirectory()
        let missing = directory.path + "/none.yml"
        #expect(throws: EtcdConfigResolver.Failure.invalid("open \(missing): no such file or directory")) {
            try resolve([("config-file", missing)])
        }
    }
}
