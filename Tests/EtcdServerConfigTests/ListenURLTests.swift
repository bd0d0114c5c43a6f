import Testing
@testable import EtcdServerConfig

@Suite struct ListenURLTests {
    @Test func ipAndLocalhostURLs() throws {
        let plain = try ListenURL("http://127.0.0.1:2379")
        #expect(plain.scheme == .http && !plain.isTLS && !plain.isUnix)
        #expect(plain.address == .ipv4(host: "127.0.0.1", port: 2379))
        #expect(plain.description == "http://127.0.0.1:2379")

        let local = try ListenURL("HTTPS://localhost:12379/")
        #expect(local.scheme == .https && local.isTLS)
        #expect(local.address == .ipv4(host: "127.0.0.1", port: 12379))
        #expect(local.host == "localhost")

        let v6 = try ListenURL("https://[::1]:2379")
        #expect(v6.address == .ipv6(host: "::1", port: 2379))
        #expect(v6.host == "::1")

        let any = try ListenURL("http://0.0.0.0:0")
        #expect(any.address == .ipv4(host: "0.0.0.0", port: 0))
    }

    @Test func unixSockets() throws {
        let socket = try ListenURL("unix://etcd.sock")
        #expect(socket.address == .unixDomainSocket(path: "etcd.sock") && socket.isUnix && !socket.isTLS)
        let secure = try ListenURL("unixs:///run/etcd.sock")
        #expect(secure.address == .unixDomainSocket(path: "/run/etcd.sock") && secure.isUnix && secure.isTLS)
    }

    @Test func etcdsErrors() {
        func message(_ text: String) -> String? {
            do {
                _ = try ListenURL(text)
                return nil
            } catch {
                return "\(error)"
            }
        }
        #expect(message("ftp://127.0.0.1:21") == "URL scheme must be http, https, unix, or unixs: ftp://127.0.0.1:21")
        #expect(message("127.0.0.1:2379") == "URL scheme must be http, https, unix, or unixs: 127.0.0.1:2379")
        #expect(message("http://127.0.0.1") == "URL address does not have the form \"host:port\": http://127.0.0.1")
        #expect(message("http://127.0.0.1:99999") == "URL address does not have the form \"host:port\": http://127.0.0.1:99999")
        #expect(message("http://127.0.0.1:x") == "URL address does not have the form \"host:port\": http://127.0.0.1:x")
        #expect(message("http://example.com:2379") == "expected IP in URL for binding (http://example.com:2379)")
        #expect(message("http://10.0.0.300:2379") == "expected IP in URL for binding (http://10.0.0.300:2379)")
    }
}
