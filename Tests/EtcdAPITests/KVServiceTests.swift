import EtcdProto
import Foundation
import GRPCCore
import Testing
@testable import EtcdAPI
@testable import KetchStore

/// Drives the KV service in process, checking the wire shapes etcd clients depend on.
@Suite("KV service")
struct KVServiceTests {
    final class Fixture {
        let directory = NSTemporaryDirectory() + "ketch-api-\(UUID().uuidString)"
        let store: MVCCStore
        let service: KVService

        init(maxRequestBytes: Int = 1_572_864) throws {
            store = try MVCCStore(dataDirectory: directory)
            let identity = MemberIdentity(name: "n", peerURLs: ["http://127.0.0.1:2380"], clientURLs: [], clusterToken: "t")
            service = KVService(context: EtcdServerContext(store: store, identity: identity, maxRequestBytes: maxRequestBytes))
        }

        deinit {
            store.close()
            try? FileManager.default.removeItem(atPath: directory)
        }
    }

    static func put(_ key: String, _ value: String) -> Etcdserverpb_PutRequest {
        var r = Etcdserverpb_PutRequest()
        r.key = Data(key.utf8)
        r.value = Data(value.utf8)
        return r
    }

    static let context = ServerContext(
        descriptor: Etcdserverpb_KV.Method.Put.descriptor, remotePeer: "in-process", localPeer: "in-process",
        cancellation: .init())

    @Test("headers carry cluster, member, revision and term")
    func header() async throws {
        let f = try Fixture()
        let r = try await f.service.put(request: Self.put("a", "1"), context: Self.context)
        #expect(r.header.revision == 2 && r.header.raftTerm == 2)
        #expect(r.header.memberID != 0)
        #expect(r.header.clusterID == MemberIdentity.clusterID(memberIDs: [r.header.memberID]))
    }

    @Test("responses inside a txn carry only a revision; nested txn headers are empty")
    func txnHeaders() async throws {
        let f = try Fixture()
        var nested = Etcdserverpb_TxnRequest()
        var op = Etcdserverpb_RequestOp()
        op.requestPut = Self.put("n", "1")
        nested.success = [op]
        var outer = Etcdserverpb_TxnRequest()
        var put = Etcdserverpb_RequestOp()
        put.requestPut = Self.put("a", "1")
        var inner = Etcdserverpb_RequestOp()
        inner.requestTxn = nested
        outer.success = [put, inner]
        let r = try await f.service.txn(request: outer, context: Self.context)
        #expect(r.header.revision == 2 && r.header.memberID != 0)
        #expect(r.responses[0].responsePut.header.revision == 2)
        #expect(r.responses[0].responsePut.header.memberID == 0)
        #expect(r.responses[1].responseTxn.header.revision == 0)
        #expect(r.responses[1].responseTxn.responses[0].responsePut.header.revision == 2)
    }

    @Test("errors have etcd's codes and messages")
    func errors() async throws {
        let f = try Fixture(maxRequestBytes: 1024)
        await #expect {
            _ = try await f.service.put(request: Self.put("", "x"), context: Self.context)
        } throws: { error in
            let e = try #require(error as? RPCError)
            return e.code == .invalidArgument && e.message == "etcdserver: key is not provided"
        }
        await #expect {
            _ = try await f.service.put(request: Self.put("big", String(repeating: "x", count: 2000)), context: Self.context)
        } throws: { error in
            (error as? RPCError)?.message == "etcdserver: request is too large"
        }
        var future = Etcdserverpb_RangeRequest()
        future.key = Data("a".utf8)
        future.revision = 99
        await #expect {
            _ = try await f.service.range(request: future, context: Self.context)
        } throws: { error in
            let e = try #require(error as? RPCError)
            return e.code == .outOfRange && e.message == "etcdserver: mvcc: required revision is a future revision"
        }
        var badSort = Etcdserverpb_RangeRequest()
        badSort.key = Data("a".utf8)
        badSort.sortOrder = .UNRECOGNIZED(7)
        await #expect {
            _ = try await f.service.range(request: badSort, context: Self.context)
        } throws: { error in
            (error as? RPCError)?.message == "etcdserver: invalid sort option"
        }
    }
}
