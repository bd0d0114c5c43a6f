import Crypto
import Foundation

/// Who this server is in etcd's terms: one member of a one-member cluster.
///
/// IDs are computed as etcd computes them for a new cluster, so the same `--initial-cluster`
/// and `--initial-cluster-token` give the same member and cluster IDs as a real etcd would.
public struct MemberIdentity: Sendable {
    public var name: String
    public var memberID: UInt64
    public var clusterID: UInt64
    public var peerURLs: [String]
    public var clientURLs: [String]

    public init(name: String, peerURLs: [String], clientURLs: [String], clusterToken: String) {
        self.name = name
        self.peerURLs = peerURLs
        self.clientURLs = clientURLs
        memberID = Self.memberID(peerURLs: peerURLs, clusterToken: clusterToken)
        clusterID = Self.clusterID(memberIDs: [memberID])
    }

    /// etcd's `computeMemberId`: SHA-1 of the sorted peer URLs joined, then the cluster token.
    public static func memberID(peerURLs: [String], clusterToken: String) -> UInt64 {
        let input = peerURLs.sorted().joined() + clusterToken
        return firstWord(Insecure.SHA1.hash(data: Data(input.utf8)))
    }

    /// etcd's `RaftCluster.genID`: SHA-1 of the sorted member IDs, big-endian.
    public static func clusterID(memberIDs: [UInt64]) -> UInt64 {
        var bytes = Data()
        for id in memberIDs.sorted() {
            withUnsafeBytes(of: id.bigEndian) { bytes.append(contentsOf: $0) }
        }
        return firstWord(Insecure.SHA1.hash(data: bytes))
    }

    private static func firstWord(_ digest: Insecure.SHA1.Digest) -> UInt64 {
        digest.prefix(8).reduce(0) { ($0 << 8) | UInt64($1) }
    }

    /// The member ID as etcd prints it (hex, no padding).
    public var memberIDHex: String { String(memberID, radix: 16) }
}
