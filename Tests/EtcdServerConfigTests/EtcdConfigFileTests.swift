import Testing
@testable import EtcdServerConfig

/// etcd's `--config-file` YAML, read as etcd 3.5 reads it.
@Suite struct EtcdConfigFileTests {
    private func load(_ yaml: String) throws -> (EtcdServerOptions, ignored: [String], path: String) {
        let directory = try TemporaryDirectory()
        let path = try directory.write("etcd.conf.yml", yaml)
        var options = EtcdServerOptions()
        let ignored = try EtcdConfigFile.apply(path: path, to: &options)
        return (options, ignored, path)
    }

    private func failure(_ yaml: String) throws -> (message: String, path: String) {
        let directory = try TemporaryDirectory()
        let path = try directory.write("etcd.conf.yml", yaml)
        var options = EtcdServerOptions()
        do {
            _ = try EtcdConfigFile.apply(path: path, to: &options)
        } catch let error as EtcdConfigFile.Invalid {
            return (error.description, path)
        }
        Issue.record("accepted: \(yaml)")
        return ("", path)
    }

    @Test func etcdsSampleKeys() throws {
        let (options, ignored, _) = try load("""
            # etcd's sample configuration keys
            name: from-file
            data-dir: /var/lib/etcd
            listen-client-urls: https://127.0.0.1:2379,http://127.0.0.1:12379
            advertise-client-urls: [https://127.0.0.1:2379]
            initial-cluster: from-file=https://127.0.0.1:2380
            initial-cluster-token: file-token
            initial-cluster-state: 'new'
            snapshot-count: 10000
            quota-backend-bytes: 4294967296
            max-txn-ops: 64.0
            log-level: debug
            log-outputs: [stderr]
            client-transport-security:
              cert-file: /pki/server.crt
              key-file: /pki/server.key
              client-cert-auth: true
              trusted-ca-file: /pki/ca.crt
              auto-tls: false
              client-cert-file: /pki/ignored.crt
            peer-transport-security:
              auto-tls: false
            some-key-etcd-does-not-know: 1
            """)
        #expect(options.name == "from-file")
        #expect(options.dataDirectory == "/var/lib/etcd")
        #expect(options.listenClientURLs == ["https://127.0.0.1:2379", "http://127.0.0.1:12379"])
        #expect(options.advertiseClientURLs == ["https://127.0.0.1:2379"])
        #expect(options.initialClusterToken == "file-token")
        #expect(options.quotaBackendBytes == 4_294_967_296)
        #expect(options.maxTxnOps == 64)
        #expect(options.logLevel == "debug")
        #expect(options.client.certFile == "/pki/server.crt")
        #expect(options.client.keyFile == "/pki/server.key")
        #expect(options.client.trustedCAFile == "/pki/ca.crt")
        #expect(options.client.clientCertAuth)
        #expect(!options.client.autoTLS)
        #expect(ignored == ["snapshot-count", "log-outputs", "peer-transport-security.auto-tls"])
    }

    @Test func keysMatchCaseInsensitivelyAndNullKeepsTheDefault() throws {
        let (options, ignored, _) = try load("Name: upper\nmax-txn-ops: ~\nclient-transport-security: null\nconfig-file: /elsewhere.yml\n")
        #expect(options.name == "upper")
        #expect(options.maxTxnOps == 128)
        #expect(options.client.certFile.isEmpty)
        #expect(ignored.isEmpty)
    }

    @Test func anEmptyFileChangesNothing() throws {
        let (options, ignored, _) = try load("")
        #expect(options.name == "default")
        #expect(ignored.isEmpty)
    }

    @Test func aWrongTypeNamesTheFileTheLineAndTheKey() throws {
        var (message, path) = try failure("name: x\nmax-txn-ops: lots\n")
        #expect(message == "config file \(path), line 2: key \"max-txn-ops\": expected a non-negative integer, got \"lots\"")
        (message, path) = try failure("max-txn-ops: -3\n")
        #expect(message == "config file \(path), line 1: key \"max-txn-ops\": expected a non-negative integer, got -3")
        (message, path) = try failure("quota-backend-bytes: 1.5\n")
        #expect(message == "config file \(path), line 1: key \"quota-backend-bytes\": expected an integer, got 1.5")
        (message, path) = try failure("name: [a, b]\n")
        #expect(message == "config file \(path), line 1: key \"name\": expected a string, got a list")
        (message, path) = try failure("name: 7\n")
        #expect(message == "config file \(path), line 1: key \"name\": expected a string, got 7")
        (message, path) = try failure("listen-client-urls: {a: b}\n")
        #expect(message == "config file \(path), line 1: key \"listen-client-urls\": expected a string (comma-separated list), got a mapping")
        (message, path) = try failure("client-transport-security:\n  auto-tls: 1\n")
        #expect(message == "config file \(path), line 2: key \"client-transport-security.auto-tls\": expected true or false, got 1")
        (message, path) = try failure("client-transport-security: yes\n")
        #expect(message == "config file \(path), line 1: key \"client-transport-security\": expected a mapping of TLS settings, got yes")
    }

    @Test func refusedSettingsAreRefusedInTheFileToo() throws {
        let (message, path) = try failure("client-transport-security:\n  allowed-hostname: example.com\n")
        #expect(message == "config file \(path): key \"client-transport-security.allowed-hostname\": client certificates are not matched against a hostname by ketch etcd")
        let (crl, crlPath) = try failure("client-crl-file: /crl.pem\n")
        #expect(crl == "config file \(crlPath): key \"client-crl-file\": certificate revocation lists are not checked by ketch etcd")
    }

    @Test func filesThatAreNotSettings() throws {
        var (message, path) = try failure("- name\n- x\n")
        #expect(message == "config file \(path): expected a mapping of etcd settings at the top level")
        (message, path) = try failure("name: [x\n")
        #expect(message.hasPrefix("config file \(path): invalid YAML: "))
        var options = EtcdServerOptions()
        #expect(throws: EtcdConfigFile.Invalid.self) { try EtcdConfigFile.apply(path: "/nonexistent/etcd.yml", to: &options) }
        do {
            _ = try EtcdConfigFile.apply(path: "/nonexistent/etcd.yml", to: &options)
        } catch {
            #expect("\(error)" == "open /nonexistent/etcd.yml: no such file or directory")
        }
    }
}
