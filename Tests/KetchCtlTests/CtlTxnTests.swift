import EtcdProto
import Foundation
import Testing
@testable import KetchCtl

/// txn's input parsing and its printers (expected texts from etcdctl 3.5.1 against etcd 3.5.1,
/// for `mod("foo") > "0"` then `put t1 v1`, `get foo`, `del nothere`).
@Suite struct CtlTxnTests {
    private func response(revision: Int64, succeeded: Bool = true) -> Etcdserverpb_TxnResponse {
        var inner = Etcdserverpb_ResponseHeader()
        inner.revision = revision
        var put = Etcdserverpb_ResponseOp()
        put.responsePut.header = inner
        var range = Etcdserverpb_ResponseOp()
        var kv = Mvccpb_KeyValue()
        kv.key = Data("foo".utf8)
        kv.value = Data("bar4".utf8)
        kv.createRevision = 2
        kv.modRevision = 9
        kv.version = 7
        range.responseRange.header = inner
        range.responseRange.kvs = [kv]
        range.responseRange.count = 1
        var del = Etcdserverpb_ResponseOp()
        del.responseDeleteRange.header = inner
        var r = Etcdserverpb_TxnResponse()
        r.header = Reference.wireHeader(revision: revision)
        r.succeeded = succeeded
        r.responses = [put, range, del]
        return r
    }

    private func output(_ r: Etcdserverpb_TxnResponse, _ args: [String]) async throws -> (out: String, bytes: [UInt8], err: String) {
        let g = try globals(args)
        return try await printed { try CtlTxn.printTxn(r, CtlFormat(g), g) }
    }

    @Test func simple() async throws {
        #expect(try await output(response(revision: 16), []).out == "SUCCESS\n\nOK\n\nfoo\nbar4\n\n0\n")
        #expect(try await output(response(revision: 16, succeeded: false), []).out.hasPrefix("FAILURE\n\nOK\n"))
    }

    @Test func json() async throws {
        #expect(try await output(response(revision: 16), ["-w", "json"]).out == """
            {"header":\(Reference.headerJSON(revision: 16)),"succeeded":true,"responses":[{"Response":{"response_put":\
            {"header":{"revision":16}}}},{"Response":{"response_range":{"header":{"revision":16},"kvs":[{"key":"Zm9v",\
            "create_revision":2,"mod_revision":9,"version":7,"value":"YmFyNA=="}],"count":1}}},{"Response":\
            {"response_delete_range":{"header":{"revision":16}}}}]}\n
            """)
    }

    @Test func fields() async throws {
        let inner = "\"ClusterID\" : 0\n\"MemberID\" : 0\n\"Revision\" : 17\n\"RaftTerm\" : 0\n"
        #expect(try await output(response(revision: 17), ["-w", "fields"]).out == Reference.headerFields(revision: 17)
            + "\"Succeeded\" : true\n" + inner + inner + """
            "Key" : "foo"
            "CreateRevision" : 2
            "ModRevision" : 9
            "Version" : 7
            "Value" : "bar4"
            "Lease" : 0
            "More" : false
            "Count" : 1\n
            """ + inner + "\"Deleted\" : 0\n")
    }

    @Test func protobufAndTable() async throws {
        #expect(try await output(response(revision: 18), ["-w", "protobuf"]).bytes == hexBytes(
            "0a1a08aaf4e5f599f3ebe7d101108df2f48ec1f7a6d7bd011812200210011a0612040a0218121a1b0a190a02181212110a03666f6f1002"
                + "180920072a046261723420011a061a040a021812"))
        await #expect {
            try await output(response(revision: 18), ["-w", "table"])
        } throws: { ($0 as? CtlFailure)?.message == "table not supported as output format" }
    }

    @Test func parseCompare() throws {
        let c = try CtlTxn.parseCompare(#"mod("foo") > "0""#)
        #expect(c.key == Data("foo".utf8))
        #expect(c.target == .mod)
        #expect(c.result == .greater)
        #expect(c.targetUnion == .modRevision(0))
        let v = try CtlTxn.parseCompare(#"val("a b") != "x y""#)
        #expect(v.targetUnion == .value(Data("x y".utf8)))
        #expect(v.result == .notEqual)
        #expect {
            try CtlTxn.parseCompare("nonsense")
        } throws: { ($0 as? CtlFailure).map { $0.code == CtlExit.invalidInput && $0.message == "malformed comparison: nonsense" } ?? false }
        #expect {
            try CtlTxn.parseCompare(#"ver("a") = "x""#)
        } throws: { ($0 as? CtlFailure)?.message == #"invalid txn compare request: ver("a") = "x""# }
        #expect {
            try CtlTxn.parseCompare(#"bogus("a") = "1""#)
        } throws: { ($0 as? CtlFailure)?.message == #"malformed comparison: bogus("a") = "1" (unknown target bogus)"# }
    }

    @Test func parseOps() throws {
        let put = try CtlTxn.parseOp(#"put k "v w" --prev-kv"#)
        #expect(put.requestPut.key == Data("k".utf8))
        #expect(put.requestPut.value == Data("v w".utf8))
        #expect(put.requestPut.prevKv)
        let get = try CtlTxn.parseOp("get a --prefix")
        #expect(get.requestRange.key == Data("a".utf8))
        #expect(get.requestRange.rangeEnd == Data("b".utf8))
        let del = try CtlTxn.parseOp("del a z")
        #expect(del.requestDeleteRange.rangeEnd == Data("z".utf8))
        #expect {
            try CtlTxn.parseOp("watch a")
        } throws: { ($0 as? CtlFailure)?.message == "invalid txn request: watch a" }
    }
}
