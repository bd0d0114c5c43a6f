import Testing
@testable import EtcdAPI

@Suite("Member identity")
struct MemberIdentityTests {
    @Test("default flags give etcd's well-known default member and cluster IDs")
    func etcdDefaults() {
        let id = MemberIdentity(
            name: "default", peerURLs: ["http://localhost:2380"], clientURLs: ["http://localhost:2379"],
            clusterToken: "etcd-cluster")
        #expect(id.memberIDHex == "8e9e05c52164694d")
        #expect(String(id.clusterID, radix: 16) == "cdf818194e3a8c32")
    }

    @Test("peer URL order does not change the member ID; the token does")
    func inputs() {
        let a = MemberIdentity.memberID(peerURLs: ["http://b:2380", "http://a:2380"], clusterToken: "t")
        let b = MemberIdentity.memberID(peerURLs: ["http://a:2380", "http://b:2380"], clusterToken: "t")
        let c = MemberIdentity.memberID(peerURLs: ["http://a:2380", "http://b:2380"], clusterToken: "u")
        #expect(a == b && a != c)
    }
}
