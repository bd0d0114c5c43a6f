import EtcdProto
import Testing
@testable import EtcdClient
@testable import KetchCtl

/// `-w simple|json|fields|table|protobuf` of get, put, del, member list and the endpoint
/// commands. Every expected text is what etcdctl 3.5.1 printed for the same response from an
/// etcd 3.5.1 member (``Reference``).
@Suite struct CtlPrinterTests {
    private let foo = EtcdKeyValue(key: Array("foo".utf8), value: Array("bar3".utf8), createRevision: 2, modRevision: 4, version: 3)
    /// A key and value that need escaping in every format.
    private let odd = EtcdKeyValue(key: Array("a<b>&\"q".utf8), value: Array(#"v\x01"#.utf8), createRevision: 5, modRevision: 5,
                                   version: 1)

    private func printer(_ format: String, hex: Bool = false) throws -> CtlPrinter {
        try CtlPrinter(writeOut: format, hex: hex)
    }

    // MARK: get

    @Test func getSimpleJSONFields() async throws {
        let r = EtcdRangeResult(header: Reference.header(revision: 5), kvs: [foo], more: false, count: 1)
        #expect(try await printed { try printer("simple").get(r) }.out == "foo\nbar3\n")
        var valueOnly = try printer("simple")
        valueOnly.valueOnly = true
        #expect(try await printed { try valueOnly.get(r) }.out == "bar3\n")
        #expect(try await printed { try printer("json").get(r) }.out == """
            {"header":\(Reference.headerJSON(revision: 5)),"kvs":[{"key":"Zm9v","create_revision":2,"mod_revision":4,\
            "version":3,"value":"YmFyMw=="}],"count":1}\n
            """)
        #expect(try await printed { try printer("fields").get(r) }.out == Reference.headerFields(revision: 5) + """
            "Key" : "foo"
            "CreateRevision" : 2
            "ModRevision" : 4
            "Version" : 3
            "Value" : "bar3"
            "Lease" : 0
            "More" : false
            "Count" : 1\n
            """)
    }

    @Test func getEscapesAndHex() async throws {
        let r = EtcdRangeResult(header: Reference.header(revision: 5), kvs: [odd], more: false, count: 1)
        #expect(try await printed { try printer("fields").get(r) }.out == Reference.headerFields(revision: 5) + #"""
            "Key" : "a<b>&\"q"
            "CreateRevision" : 5
            "ModRevision" : 5
            "Version" : 1
            "Value" : "v\\x01"
            "Lease" : 0
            "More" : false
            "Count" : 1

            """#)
        #expect(try await printed { try printer("simple", hex: true).get(r) }.out
            == #"\x61\x3c\x62\x3e\x26\x22\x71"# + "\n" + #"\x76\x5c\x78\x30\x31"# + "\n")
        // --hex does not change JSON (bytes are base64 there).
        let json = #"{"header":\#(Reference.headerJSON(revision: 5)),"kvs":[{"key":"YTxiPiYicQ==","create_revision":5,"#
            + #""mod_revision":5,"version":1,"value":"dlx4MDE="}],"count":1}"# + "\n"
        #expect(try await printed { try printer("json").get(r) }.out == json)
        #expect(try await printed { try printer("json", hex: true).get(r) }.out == json)
        // Simple writes the raw bytes, valid UTF-8 or not.
        let binary = EtcdRangeResult(header: Reference.header(revision: 5), kvs: [EtcdKeyValue(key: [0xFF], value: [0x00, 0xC3])],
                                     more: false, count: 1)
        #expect(try await printed { try printer("simple").get(binary) }.bytes == [0xFF, 0x0A, 0x00, 0xC3, 0x0A])
    }

    @Test func getProtobufAndTable() async throws {
        let r = EtcdRangeResult(header: Reference.header(revision: 5), kvs: [foo], more: false, count: 1)
        let g = try globals(["-w", "protobuf"])
        let out = try await printed { try CtlRPC.printResult(r, try CtlPrinter(writeOut: CtlRPC.printerFormat(g), hex: false), g) }
        #expect(out.bytes == hexBytes("0a1a08aaf4e5f599f3ebe7d101108df2f48ec1f7a6d7bd011805200212110a03666f6f1002180420032a04626172332001"))
        #expect {
            try printer("table").get(r)
        } throws: { ($0 as? CtlFailure)?.message == "table not supported as output format" }
    }

    // MARK: put, del

    @Test func put() async throws {
        let prev = EtcdKeyValue(key: Array("foo".utf8), value: Array("bar4".utf8), createRevision: 2, modRevision: 6, version: 4)
        let r = EtcdPutResult(header: Reference.header(revision: 7), prevKV: prev)
        #expect(try await printed { try printer("simple").put(r) }.out == "OK\nfoo\nbar4\n")
        #expect(try await printed { try printer("simple").put(EtcdPutResult(header: r.header, prevKV: nil)) }.out == "OK\n")
        #expect(try await printed { try printer("json").put(r) }.out == """
            {"header":\(Reference.headerJSON(revision: 7)),"prev_kv":{"key":"Zm9v","create_revision":2,"mod_revision":6,\
            "version":4,"value":"YmFyNA=="}}\n
            """)
        #expect(try await printed { try printer("fields").put(r) }.out == Reference.headerFields(revision: 7) + """
            "PrevKey" : "foo"
            "PrevCreateRevision" : 2
            "PrevModRevision" : 6
            "PrevVersion" : 4
            "PrevValue" : "bar4"
            "PrevLease" : 0\n
            """)
        let wire = EtcdPutResult(header: Reference.header(revision: 9), prevKV: EtcdKeyValue(
            key: Array("foo".utf8), value: Array("bar4".utf8), createRevision: 2, modRevision: 8, version: 6))
        let g = try globals(["-w", "protobuf"])
        #expect(try await printed { try CtlRPC.printResult(wire, try printer("simple"), g) }.bytes
            == hexBytes("0a1a08aaf4e5f599f3ebe7d101108df2f48ec1f7a6d7bd011809200212110a03666f6f1002180820062a0462617234"))
    }

    @Test func del() async throws {
        let kvs = [EtcdKeyValue(key: Array("d1".utf8), value: Array("x".utf8)), EtcdKeyValue(key: Array("d2".utf8), value: Array("y".utf8))]
        #expect(try await printed { try printer("simple").del(EtcdDeleteResult(header: Reference.header(revision: 11), deleted: 2,
                                                                               prevKVs: kvs)) }.out == "2\nd1\nx\nd2\ny\n")
        let none = EtcdDeleteResult(header: Reference.header(revision: 9), deleted: 0, prevKVs: [])
        #expect(try await printed { try printer("simple").del(none) }.out == "0\n")
        #expect(try await printed { try printer("json").del(none) }.out == #"{"header":\#(Reference.headerJSON(revision: 9))}"# + "\n")
        #expect(try await printed { try printer("fields").del(none) }.out == Reference.headerFields(revision: 9) + "\"Deleted\" : 0\n")
        let g = try globals(["-w", "protobuf"])
        #expect(try await printed { try CtlRPC.printResult(none, try printer("simple"), g) }.bytes
            == hexBytes("0a1a08aaf4e5f599f3ebe7d101108df2f48ec1f7a6d7bd0118092002"))
    }

    // MARK: member list

    private var members: EtcdMemberList {
        EtcdMemberList(
            header: EtcdResponseHeader(clusterID: Reference.clusterID, memberID: Reference.memberID, revision: 0, raftTerm: 2),
            members: [EtcdMember(id: Reference.memberID, name: "default", peerURLs: ["http://127.0.0.1:23801"],
                                 clientURLs: ["http://127.0.0.1:23791"], isLearner: false)])
    }

    @Test func memberList() async throws {
        #expect(try await printed { try printer("simple").memberList(members) }.out
            == "bdae9bbc11dd390d, started, default, http://127.0.0.1:23801, http://127.0.0.1:23791, false\n")
        #expect(try await printed { try printer("json").memberList(members) }.out == """
            {"header":{"cluster_id":15118495548433857066,"member_id":13668033151171901709,"raft_term":2},"members":[{"ID":\
            13668033151171901709,"name":"default","peerURLs":["http://127.0.0.1:23801"],"clientURLs":["http://127.0.0.1:23791"]}]}\n
            """)
        #expect(try await printed { try printer("json", hex: true).memberList(members) }.out == """
            {"header":{"cluster_id":"d1cfaf999eb97a2a","member_id":"bdae9bbc11dd390d","raft_term":2},"members":[{"ID":\
            "bdae9bbc11dd390d","name":"default","peerURLs":["http://127.0.0.1:23801"],"clientURLS":["http://127.0.0.1:23791"]}]}\n
            """)
        #expect(try await printed { try printer("fields").memberList(members) }.out == Reference.headerFields(revision: 0) + """
            "ID" : 13668033151171901709
            "Name" : "default"
            "PeerURL" : "http://127.0.0.1:23801"
            "ClientURL" : "http://127.0.0.1:23791"
            "IsLearner" : false\n\n
            """)
        #expect(try await printed { try printer("table").memberList(members) }.out == """
            +------------------+---------+---------+------------------------+------------------------+------------+
            |        ID        | STATUS  |  NAME   |       PEER ADDRS       |      CLIENT ADDRS      | IS LEARNER |
            +------------------+---------+---------+------------------------+------------------------+------------+
            | bdae9bbc11dd390d | started | default | http://127.0.0.1:23801 | http://127.0.0.1:23791 |      false |
            +------------------+---------+---------+------------------------+------------------------+------------+\n
            """)
        let g = try globals(["-w", "protobuf"])
        #expect(try await printed { try CtlRPC.printResult(members, try printer("simple"), g) }.bytes == hexBytes(
            "0a1808aaf4e5f599f3ebe7d101108df2f48ec1f7a6d7bd0120021244088df2f48ec1f7a6d7bd01120764656661756c741a16687474703a2f2f"
                + "3132372e302e302e313a32333830312216687474703a2f2f3132372e302e302e313a3233373931"))
    }

    @Test func unstartedMember() async throws {
        var list = members
        list.members[0].name = ""
        #expect(try await printed { try printer("simple").memberList(list) }.out
            == "bdae9bbc11dd390d, unstarted, , http://127.0.0.1:23801, http://127.0.0.1:23791, false\n")
    }

    // MARK: endpoint status, health

    private var status: [(String, EtcdStatus)] {
        [("127.0.0.1:23791", EtcdStatus(
            header: Reference.header(revision: 12), version: "3.5.1", dbSize: 20480, dbSizeInUse: 16384, leader: Reference.memberID,
            raftIndex: 21, raftTerm: 2, raftAppliedIndex: 21, errors: [], isLearner: false))]
    }

    @Test func endpointStatus() async throws {
        #expect(try await printed { try printer("simple").endpointStatus(status) }.out
            == "127.0.0.1:23791, bdae9bbc11dd390d, 3.5.1, 20 kB, true, false, 2, 21, 21, \n")
        #expect(try await printed { try printer("json").endpointStatus(status) }.out == """
            [{"Endpoint":"127.0.0.1:23791","Status":{"header":\(Reference.headerJSON(revision: 12)),"version":"3.5.1",\
            "dbSize":20480,"leader":13668033151171901709,"raftIndex":21,"raftTerm":2,"raftAppliedIndex":21,"dbSizeInUse":16384}}]\n
            """)
        #expect(try await printed { try printer("fields").endpointStatus(status) }.out == Reference.headerFields(revision: 12) + """
            "Version" : "3.5.1"
            "DBSize" : 20480
            "Leader" : 13668033151171901709
            "IsLearner" : false
            "RaftIndex" : 21
            "RaftTerm" : 2
            "RaftAppliedIndex" : 21
            "Errors" : []
            "Endpoint" : "127.0.0.1:23791"\n\n
            """)
        #expect(try await printed { try printer("table").endpointStatus(status) }.out == """
            +-----------------+------------------+---------+---------+-----------+------------+-----------+------------+--------------------+--------+
            |    ENDPOINT     |        ID        | VERSION | DB SIZE | IS LEADER | IS LEARNER | RAFT TERM | RAFT INDEX | RAFT APPLIED INDEX | ERRORS |
            +-----------------+------------------+---------+---------+-----------+------------+-----------+------------+--------------------+--------+
            | 127.0.0.1:23791 | bdae9bbc11dd390d |   3.5.1 |   20 kB |      true |      false |         2 |         21 |                 21 |        |
            +-----------------+------------------+---------+---------+-----------+------------+-----------+------------+--------------------+--------+\n
            """)
        #expect {
            try CtlRPC.unsupportedProtobuf(globals(["-w", "protobuf"]))
        } throws: { ($0 as? CtlFailure).map { $0.code == CtlExit.badFeature && $0.message == "protobuf not supported as output format" } ?? false }
    }

    @Test func endpointHealth() async throws {
        let list = [CtlPrinter.Health(endpoint: "127.0.0.1:23791", health: true, took: "1.2ms", error: ""),
                    CtlPrinter.Health(endpoint: "127.0.0.1:1", health: false, took: "2s", error: "context deadline exceeded")]
        let simple = try await printed { try printer("simple").endpointHealth(list) }
        #expect(simple.out == "127.0.0.1:23791 is healthy: successfully committed proposal: took = 1.2ms\n")
        #expect(simple.err == "127.0.0.1:1 is unhealthy: failed to commit proposal: context deadline exceeded\n")
        #expect(try await printed { try printer("json").endpointHealth(list) }.out == """
            [{"endpoint":"127.0.0.1:23791","health":true,"took":"1.2ms"},\
            {"endpoint":"127.0.0.1:1","health":false,"took":"2s","error":"context deadline exceeded"}]\n
            """)
    }
}
