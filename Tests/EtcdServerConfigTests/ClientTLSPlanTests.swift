import Testing
@testable import EtcdServerConfig

@Suite struct ClientTLSPlanTests {
    private func plan(
        _ client: TransportSecurityOptions, listeners: [String], metrics: [String] = [], dataDir: String = "/data"
    ) throws -> ClientTLSPlan {
        var options = EtcdServerOptions()
        options.dataDir = dataDir
        options.client = client
        options.selfSignedCertValidity = 3
        return try ClientTLSPlan(options: options, listeners: listeners.map(ListenURL.init), metricsListeners: metrics.map(ListenURL.init))
    }

    private var files: TransportSecurityOptions {
        var client = TransportSecurityOptions()
        client.certFile = "/pki/server.crt"
        client.keyFile = "/pki/server.key"
        return client
    }

    @Test func plaintextNeedsNothing() throws {
        let tls = try plan(TransportSecurityOptions(), listeners: ["http://127.0.0.1:2379"])
        #expect(tls.certificate == nil && tls.notes.isEmpty && !tls.servesClientTLS)
    }

    @Test func httpsNeedsACertificate() {
        for (listeners, metrics) in [(["https://127.0.0.1:2379"], []), (["http://127.0.0.1:2379"], ["https://127.0.0.1:2381"])] {
            do {
                _ = try plan(TransportSecurityOptions(), listeners: listeners, metrics: metrics)
                Issue.record("accepted \(listeners) \(metrics)")
            } catch {
                let url = (listeners + metrics).first { $0.hasPrefix("https") }!
                #expect("\(error)" == "TLS key/cert (--cert-file, --key-file) must be provided for client url \(url) with HTTPS scheme")
            }
        }
    }

    @Test func certificateFiles() throws {
        var client = files
        client.trustedCAFile = "/pki/ca.crt"
        client.clientCertAuth = true
        let tls = try plan(client, listeners: ["https://127.0.0.1:2379"])
        #expect(tls.certificate == .files(
            certFile: "/pki/server.crt", keyFile: "/pki/server.key", trustedCAFile: "/pki/ca.crt", clientCertAuth: true))
        #expect(tls.notes.isEmpty && tls.servesClientTLS)
        let noCA = try plan(files, listeners: ["https://127.0.0.1:2379"])
        #expect(noCA.certificate == .files(certFile: "/pki/server.crt", keyFile: "/pki/server.key", trustedCAFile: nil, clientCertAuth: false))
    }

    @Test func filesWinOverAutoTLS() throws {
        var client = files
        client.autoTLS = true
        let tls = try plan(client, listeners: ["https://127.0.0.1:2379"])
        guard case .files = tls.certificate else {
            Issue.record("expected the files, got \(String(describing: tls.certificate))")
            return
        }
        #expect(tls.notes.map(\.message) == ["ignoring client auto TLS since certs given"])
    }

    @Test func autoTLSMakesACertificateForTheListenHosts() throws {
        var client = TransportSecurityOptions()
        client.autoTLS = true
        client.clientCertAuth = true
        let tls = try plan(
            client, listeners: ["https://localhost:2379", "unixs://etcd.sock"], metrics: ["https://10.0.0.1:2381"], dataDir: "/data/m1")
        #expect(tls.certificate == .selfSigned(directory: "/data/m1/fixtures/client", hosts: ["localhost", "10.0.0.1"], validityYears: 3))
        #expect(tls.notes.map(\.message) == ["client-cert-auth and trusted-ca-file have no effect with auto-tls (as in etcd)"])
    }

    @Test func httpListenersIgnoreTheCertificate() throws {
        let tls = try plan(files, listeners: ["http://127.0.0.1:2379", "https://127.0.0.1:2380"])
        #expect(tls.notes.map(\.message) == ["scheme is HTTP while key and cert files are present; ignoring key and cert files"])
        #expect(tls.notes.first?.metadata["client-url"] == "http://127.0.0.1:2379")
        #expect(tls.servesClientTLS)
        #expect(try !plan(files, listeners: ["http://127.0.0.1:2379"]).servesClientTLS)
    }
}
