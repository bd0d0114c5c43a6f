import Testing
@testable import EtcdServerConfig

@Suite struct EtcdServerOptionsTests {
    @Test func quotaAsEtcdComputesIt() {
        var options = EtcdServerOptions()
        #expect(options.effectiveQuotaBackendBytes == Int64(2) << 30)
        options.quotaBackendBytes = -1
        #expect(options.effectiveQuotaBackendBytes == nil)
        options.quotaBackendBytes = 4096
        #expect(options.effectiveQuotaBackendBytes == 4096)
    }

    @Test func dataDirectoryDefaultsToTheName() {
        var options = EtcdServerOptions()
        options.name = "m1"
        #expect(options.dataDirectory == "m1.etcd")
        options.dataDir = "/var/lib/etcd"
        #expect(options.dataDirectory == "/var/lib/etcd")
    }

    @Test func peerURLsFromTheInitialCluster() throws {
        var options = EtcdServerOptions()
        #expect(try options.localPeerURLs() == ["http://localhost:2380"])
        options.name = "a"
        options.initialAdvertisePeerURLs = ["https://10.0.0.1:2380"]
        #expect(try options.localPeerURLs() == ["https://10.0.0.1:2380"])
        options.initialCluster = "a=https://10.0.0.1:2380, a=https://10.0.0.2:2380"
        #expect(try options.localPeerURLs() == ["https://10.0.0.1:2380", "https://10.0.0.2:2380"])
    }

    @Test func clustersKetchCannotBe() {
        func message(_ change: (inout EtcdServerOptions) -> Void) -> String? {
            var options = EtcdServerOptions()
            options.name = "a"
            change(&options)
            do {
                _ = try options.localPeerURLs()
                return nil
            } catch {
                return "\(error)"
            }
        }
        #expect(message { $0.initialCluster = "b=http://x:2380" } == "couldn't find local name \"a\" in the initial cluster configuration")
        #expect(message { $0.initialCluster = "a=http://x:2380,b=http://y:2380" }
            == "--initial-cluster names 2 members (a, b); Ketch runs one member per data store")
        #expect(message { $0.initialCluster = "a" } == "--initial-cluster entry \"a\" is not NAME=URL")
        #expect(message { $0.initialClusterState = "old" } == "unexpected initial-cluster-state \"old\": use new or existing")
        #expect(message { $0.initialClusterState = "existing" } == nil)
    }
}
