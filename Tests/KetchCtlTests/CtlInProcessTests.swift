import EtcdTestSupport
import Foundation
import Testing
@testable import KetchCtl

/// A few whole commands against Ketch's etcd services on a loopback port.
@Suite(.serialized) struct CtlInProcessTests {
    private func withServer(_ body: (_ run: ([String]) async -> CtlRun) async throws -> Void) async throws {
        let etcd = try await InProcessEtcd()
        do {
            // Generous timeouts: a parallel unit run on 2 cores can starve the server for seconds.
            let flags = ["--endpoints=127.0.0.1:\(etcd.port)", "--dial-timeout=30s", "--command-timeout=60s"]
            try await body { args in await ctl(flags + args) }
        } catch {
            await etcd.stop()
            throw error
        }
        await etcd.stop()
    }

    @Test func putGetDel() async throws {
        try await withServer { run in
            let put = await run(["put", "k1", "v1"])
            #expect(put.code == 0 && put.stdout == "OK\n" && put.stderr.isEmpty)
            #expect(await run(["put", "k2", "v2", "--prev-kv"]).stdout == "OK\n")
            #expect(await run(["put", "k2", "v3", "--prev-kv"]).stdout == "OK\nk2\nv2\n")
            #expect(await run(["get", "k", "--prefix"]).stdout == "k1\nv1\nk2\nv3\n")
            #expect(await run(["get", "k", "--prefix", "--keys-only", "--order=DESCEND"]).stdout == "k2\n\nk1\n\n")
            let json = await run(["get", "k1", "-w", "json"]).stdout
            #expect(json.hasPrefix(#"{"header":{"cluster_id":"#))
            #expect(json.hasSuffix(#""kvs":[{"key":"azE=","create_revision":2,"mod_revision":2,"version":1,"value":"djE="}],"count":1}"#
                + "\n"))
            let fields = await run(["get", "k", "--prefix", "--count-only", "-w", "fields"]).stdout
            #expect(fields.hasSuffix("\"More\" : false\n\"Count\" : 2\n"))
            #expect(await run(["del", "k", "--prefix", "--prev-kv"]).stdout == "2\nk1\nv1\nk2\nv3\n")
            #expect(await run(["get", "k1"]).stdout.isEmpty)
        }
    }

    @Test func lease() async throws {
        try await withServer { run in
            let grant = await run(["lease", "grant", "100"])
            let match = try #require(grant.stdout.wholeMatch(of: /lease ([0-9a-f]{16}) granted with TTL\(100s\)\n/))
            let id = String(match.1)
            #expect(await run(["put", "lk", "lv", "--lease=\(id)"]).code == 0)
            let ttl = await run(["lease", "timetolive", id, "--keys"]).stdout
            #expect(ttl.wholeMatch(of: /lease [0-9a-f]{16} granted with TTL\(100s\), remaining\(\d+s\), attached keys\(\[lk\]\)\n/) != nil)
            let list = await run(["lease", "list", "-w", "json"]).stdout
            #expect(list.hasSuffix(#""leases":[{"id":\#(Int64(id, radix: 16)!)}]}"# + "\n"))
            #expect(await run(["lease", "revoke", id]).stdout == "lease \(id) revoked\n")
            #expect(await run(["get", "lk"]).stdout.isEmpty)
        }
    }

    @Test func clusterCommands() async throws {
        try await withServer { run in
            let members = await run(["member", "list"])
            #expect(members.code == 0)
            #expect(members.stdout.hasSuffix(", started, n1, http://127.0.0.1:2380, , false\n"))
            let status = await run(["endpoint", "status", "-w", "table"])
            #expect(status.code == 0)
            #expect(status.stdout.contains(" ENDPOINT ") && status.stdout.contains("| RAFT APPLIED INDEX |"))
            let health = await run(["endpoint", "health"])
            #expect(health.code == 0)
            #expect(health.stdout.hasPrefix("127.0.0.1:"))
            #expect(health.stdout.contains(" is healthy: successfully committed proposal: took = "))
            #expect(await run(["compaction", "1"]).stdout == "compacted revision 1\n")
        }
    }

    @Test func serverErrorsCarryTheGoClientsWarning() async throws {
        try await withServer { run in
            let r = await run(["lease", "revoke", "1234"])
            #expect(r.code == CtlExit.error)
            let lines = r.stderr.split(separator: "\n")
            #expect(lines.count == 2)
            #expect(lines.first?.contains(#""msg":"retrying of unary invoker failed""#) == true)
            #expect(lines.last == "Error: failed to revoke lease (etcdserver: requested lease not found)")
        }
    }
}
