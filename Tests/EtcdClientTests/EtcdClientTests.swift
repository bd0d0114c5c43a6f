import EtcdTestSupport
import EtcdClient
import Foundation
import Testing

/// The client against Ketch's etcd services, in process over plaintext gRPC.
// Serialized, with a generous dial timeout: under `swift test` every other suite runs at the
// same time on few cores, and a 2 s dial can starve.
@Suite("EtcdClient", .serialized)
struct EtcdClientTests {
    static func withClient(_ body: (EtcdClient, InProcessEtcd) async throws -> Void) async throws {
        let server = try await InProcessEtcd()
        let client = try await EtcdClient.connect(EtcdClientConfiguration(endpoints: [server.endpoint], dialTimeout: .seconds(30)))
        do {
            try await body(client, server)
        } catch {
            await client.close()
            await server.stop()
            throw error
        }
        await client.close()
        await server.stop()
    }

    static func b(_ s: String) -> [UInt8] { Array(s.utf8) }

    @Test("put, get, range by prefix with a limit, delete")
    func putGetRangeDelete() async throws {
        try await Self.withClient { etcd, _ in
            let first = try await etcd.put("/registry/pods/a", "1")
            #expect(first.header.revision == 2)
            try await etcd.put("/registry/pods/b", "2")
            try await etcd.put("/registry/pods/c", "3")
            try await etcd.put("/registry/podsx", "x")
            let a = try #require(try await etcd.get("/registry/pods/a"))
            #expect(a.keyString == "/registry/pods/a" && a.valueString == "1")
            #expect(a.createRevision == 2 && a.modRevision == 2 && a.version == 1 && a.lease == 0)
            #expect(try await etcd.get("/nope") == nil)

            let all = try await etcd.list(prefix: Self.b("/registry/pods/"))
            #expect(all.kvs.map(\.keyString) == ["/registry/pods/a", "/registry/pods/b", "/registry/pods/c"])
            #expect(all.count == 3 && !all.more && all.header.revision == 5)

            let page = try await etcd.range(key: Self.b("/registry/pods/"), end: EtcdClient.prefixEnd(of: Self.b("/registry/pods/")), limit: 2)
            #expect(page.kvs.count == 2 && page.more && page.count == 3)

            let counted = try await etcd.range(key: Self.b("/registry/"), end: EtcdKeys.prefixEnd(of: Self.b("/registry/")), countOnly: true)
            #expect(counted.kvs.isEmpty && counted.count == 4)

            let keys = try await etcd.range(key: Self.b("/registry/pods/a"), keysOnly: true)
            #expect(keys.kvs.first?.value == [])

            let old = try await etcd.range(key: Self.b("/registry/pods/a"), revision: 1)
            #expect(old.kvs.isEmpty)

            let deleted = try await etcd.delete(key: Self.b("/registry/pods/"), end: EtcdKeys.prefixEnd(of: Self.b("/registry/pods/")), prevKV: true)
            #expect(deleted.deleted == 3 && deleted.prevKVs.map(\.valueString) == ["1", "2", "3"])
            #expect(EtcdKeys.prefixEnd(of: [0x61, 0xff]) == [0x62] && EtcdKeys.prefixEnd(of: [0xff]) == [0])
        }
    }

    @Test("create, update and delete with a revision condition, as the apiserver's storage does")
    func conditionalWrites() async throws {
        try await Self.withClient { etcd, _ in
            let key = Self.b("/registry/configmaps/default/c")
            let created = try #require(try await etcd.create(key: key, value: Self.b("v1")))
            #expect(try await etcd.create(key: key, value: Self.b("again")) == nil)

            let updated = try await etcd.update(key: key, value: Self.b("v2"), expectedModRevision: created)
            guard case .succeeded(let rev2) = updated else { Issue.record("update failed: \(updated)"); return }
            #expect(rev2 == created + 1)

            let stale = try await etcd.update(key: key, value: Self.b("v3"), expectedModRevision: created)
            guard case .conflict(let current?) = stale else { Issue.record("expected a conflict: \(stale)"); return }
            #expect(current.valueString == "v2" && current.modRevision == rev2)

            let staleDelete = try await etcd.delete(key: key, expectedModRevision: created)
            #expect(staleDelete == .conflict(current: current))
            let deleted = try await etcd.delete(key: key, expectedModRevision: rev2)
            #expect(deleted == .succeeded(revision: rev2 + 1))
            let gone = try await etcd.update(key: key, value: Self.b("v4"), expectedModRevision: rev2)
            #expect(gone == .conflict(current: nil))

            let txn = try await etcd.txn(
                compares: [EtcdCompare(key: Self.b("x"), .equal, .version(0))],
                success: [.put(key: Self.b("x"), value: Self.b("1")), .range(key: Self.b("x"))],
                failure: [])
            #expect(txn.succeeded && txn.responses.count == 2)
            if case .range(let r)? = txn.responses.last { #expect(r.kvs.first?.valueString == "1") }
        }
    }

    @Test("server errors keep etcd's message")
    func errors() async throws {
        try await Self.withClient { etcd, _ in
            try await etcd.put("a", "1")
            try await etcd.put("a", "2")
            try await etcd.put("a", "3")
            try await etcd.compact(revision: 3)
            await #expect(throws: EtcdClientError.server(code: .outOfRange, message: "etcdserver: mvcc: required revision has been compacted")) {
                _ = try await etcd.range(key: Self.b("a"), revision: 2)
            }
            do {
                _ = try await etcd.range(key: Self.b("a"), revision: 99)
                Issue.record("expected an error")
            } catch let error as EtcdClientError {
                #expect(error.isFutureRevision)
            }
            do {
                try await etcd.put(key: [], value: Self.b("x"))
                Issue.record("expected an error")
            } catch let error as EtcdClientError {
                #expect(error.description == "etcdserver: key is not provided")
            }
        }
    }

    @Test("watch from a revision sees earlier and later changes; cancelling the consumer ends it")
    func watchFromRevision() async throws {
        try await Self.withClient { etcd, _ in
            try await etcd.put("/w/a", "1")  // rev 2
            try await etcd.put("/w/b", "2")  // rev 3
            try await etcd.put("/other", "x")  // rev 4
            let stream = etcd.watch(key: Self.b("/w/"), end: EtcdKeys.prefixEnd(of: Self.b("/w/")), startRevision: 3, prevKV: true)
            let consumer = Task {
                var seen: [EtcdWatchEvent] = []
                for try await batch in stream {
                    seen += batch.events
                    if seen.count == 3 { break }
                }
                return seen
            }
            try await Task.sleep(for: .milliseconds(200))
            try await etcd.put("/w/a", "1b")  // rev 5
            try await etcd.delete(key: Self.b("/w/b"))  // rev 6
            let seen = try await consumer.value
            #expect(seen.map(\.type) == [.put, .put, .delete])
            #expect(seen.map(\.kv.keyString) == ["/w/b", "/w/a", "/w/b"])
            #expect(seen[1].prevKV?.valueString == "1" && seen[1].kv.modRevision == 5)
            #expect(seen[2].kv.modRevision == 6)

            // A watch whose consumer is cancelled ends promptly.
            let idle = Task {
                for try await _ in etcd.watch(key: Self.b("/idle")) {}
            }
            try await Task.sleep(for: .milliseconds(100))
            idle.cancel()
            _ = try? await idle.value
        }
    }

    @Test("watching from a compacted revision throws compacted")
    func compactedWatch() async throws {
        try await Self.withClient { etcd, _ in
            for i in 0..<4 { try await etcd.put("k", "\(i)") }  // revs 2...5
            try await etcd.compact(revision: 4)
            do {
                for try await _ in etcd.watch(key: Self.b("k"), startRevision: 2) {}
                Issue.record("expected the watch to be cancelled")
            } catch let error as EtcdClientError {
                #expect(error == .compacted(compactRevision: 4))
                #expect(error.isCompacted)
            }
        }
    }

    @Test("status, member list, alarms, leases")
    func maintenance() async throws {
        try await Self.withClient { etcd, _ in
            let status = try await etcd.status()
            #expect(!status.version.isEmpty && status.leader == status.header.memberID)
            let members = try await etcd.memberList()
            #expect(members.members.count == 1 && members.members[0].name == "n1")
            #expect(try await etcd.alarmList().isEmpty)
            let lease = try await etcd.leaseGrant(ttl: 60)
            #expect(lease.ttl == 60 && lease.id != 0)
            try await etcd.put("leased", "v", lease: lease.id)
            let kept = try await etcd.leaseKeepAliveOnce(id: lease.id)
            #expect(kept.id == lease.id && kept.ttl > 0)
            try await etcd.leaseRevoke(id: lease.id)
            #expect(try await etcd.get("leased") == nil)
        }
    }

    @Test("the first endpoint that answers is used; none answering is unavailable")
    func failover() async throws {
        let server = try await InProcessEtcd()
        let client = try await EtcdClient.connect(EtcdClientConfiguration(
            endpoints: ["http://127.0.0.1:1", server.endpoint], dialTimeout: .seconds(2)))
        #expect(client.currentEndpoint?.port == server.port)
        try await client.put("a", "1")
        await client.close()
        await server.stop()

        do {
            _ = try await EtcdClient.connect(EtcdClientConfiguration(endpoints: ["127.0.0.1:1"], dialTimeout: .seconds(1)))
            Issue.record("expected unavailable")
        } catch let error as EtcdClientError {
            #expect(error.isUnavailable)
            #expect(error.description.contains("127.0.0.1:1"))
        }
    }

    @Test("endpoints parse as etcd's client reads them")
    func endpoints() throws {
        let plain = try EtcdEndpoint(parsing: "127.0.0.1:2379")
        #expect(!plain.tls && plain.host == "127.0.0.1" && plain.port == 2379)
        #expect(try EtcdEndpoint(parsing: "127.0.0.1:2379", tlsByDefault: true).tls)
        let https = try EtcdEndpoint(parsing: "https://etcd.local:4001")
        #expect(https.tls && https.host == "etcd.local" && https.port == 4001)
        let v6 = try EtcdEndpoint(parsing: "http://[::1]:2379")
        #expect(!v6.tls && v6.host == "::1")
        #expect(throws: EtcdClientError.self) { try EtcdEndpoint(parsing: "ftp://x:1") }
    }
}
