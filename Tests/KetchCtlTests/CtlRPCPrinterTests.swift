import EtcdProto
import Foundation
import Testing
@testable import KetchCtl

/// The printers of the commands printed from wire messages (lease, member, alarm, auth), against
/// etcdctl 3.5.1's output for the same responses (``Reference``).
@Suite struct CtlRPCPrinterTests {
    private func output(_ format: CtlFormat, _ body: (CtlFormat) throws -> Void) async throws -> (out: String, bytes: [UInt8]) {
        let o = try await printed { try body(format) }
        return (o.out, o.bytes)
    }

    @Test func leaseGrant() async throws {
        let header = Reference.wireHeader(revision: 12)
        func grant(_ format: CtlFormat) throws {
            try CtlLease.printLease(format, header: header, id: 4_111_120_503_718_488_109, ttl: 100,
                                    simple: "lease 390da25104f7282d granted with TTL(100s)\n", withError: true)
        }
        #expect(try await output(.simple, grant).out == "lease 390da25104f7282d granted with TTL(100s)\n")
        #expect(try await output(.json, grant).out == """
            {"cluster_id":15118495548433857066,"member_id":13668033151171901709,"revision":12,"raft_term":2,\
            "ID":4111120503718488109,"TTL":100,"Error":""}\n
            """)
        #expect(try await output(.fields, grant).out
            == Reference.headerFields(revision: 12) + "\"ID\" : 4111120503718488109\n\"TTL\" : 100\n")
        #expect(try await output(.protobuf, grant).bytes == hexBytes("08aaf4e5f599f3ebe7d101108df2f48ec1f7a6d7bd01180c2002"))
        await #expect {
            try await output(.table, grant)
        } throws: { ($0 as? CtlFailure)?.message == "table not supported as output format" }
    }

    @Test func leaseKeepAliveHasNoErrorField() async throws {
        let out = try await output(.json) { format in
            try CtlLease.printLease(format, header: Reference.wireHeader(revision: 13), id: 4_111_120_503_718_488_115, ttl: 200,
                                    simple: "", withError: false)
        }.out
        #expect(out == """
            {"cluster_id":15118495548433857066,"member_id":13668033151171901709,"revision":13,"raft_term":2,\
            "ID":4111120503718488115,"TTL":200}\n
            """)
    }

    @Test func alarmsWithNone() async throws {
        var r = Etcdserverpb_AlarmResponse()
        r.header = Reference.wireHeader(revision: 18)
        #expect(try await output(.json) { try CtlMaintenance.printAlarms(r, $0) }.out
            == #"{"header":\#(Reference.headerJSON(revision: 18))}"# + "\n")
        #expect(try await output(.simple) { try CtlMaintenance.printAlarms(r, $0) }.out.isEmpty)
        r.alarms = [Etcdserverpb_AlarmMember.with { $0.memberID = 7; $0.alarm = .nospace }]
        #expect(try await output(.simple) { try CtlMaintenance.printAlarms(r, $0) }.out == "memberID:7 alarm:NOSPACE \n")
        #expect(try await output(.fields) { try CtlMaintenance.printAlarms(r, $0) }.out
            == Reference.headerFields(revision: 18) + "\"MemberID\" : 7\n\"AlarmType\" : NOSPACE\n\n")
    }

    @Test func memberRemoved() async throws {
        var r = Etcdserverpb_MemberRemoveResponse()
        r.header = Reference.wireHeader(revision: 3)
        r.members = [Etcdserverpb_Member.with { $0.id = 0x2a; $0.name = "n2"; $0.peerUrls = ["http://h:2380"] }]
        let json = try await output(.json) { try CtlMaintenance.printMembers($0, r, simple: "") }.out
        #expect(json == #"{"header":\#(Reference.headerJSON(revision: 3)),"members":[{"ID":42,"name":"n2","peerURLs":["http://h:2380"]}]}"#
            + "\n")
        let fields = try await output(.fields) { try CtlMaintenance.printMembers($0, r, simple: "") }.out
        #expect(fields == Reference.headerFields(revision: 3) + "\"ID\" : 42\n\"Name\" : \"n2\"\n\"PeerURL\" : \"http://h:2380\"\n"
            + "\"IsLearner\" : false\n\n")
    }

    @Test func roleSimpleKeepsRawKeyBytes() async throws {
        var r = Etcdserverpb_AuthRoleGetResponse()
        r.header = Reference.wireHeader(revision: 4)
        r.perm = [
            Authpb_Permission.with { $0.permType = .read; $0.key = Data([0x61, 0xFF]) },
            Authpb_Permission.with { $0.permType = .readwrite; $0.key = Data("p".utf8); $0.rangeEnd = Data("q".utf8) },
            Authpb_Permission.with { $0.permType = .write; $0.key = Data("z".utf8); $0.rangeEnd = Data([0]) },
        ]
        let simple = try await output(.simple) { try CtlAuth.printRole("r", r, $0) }.bytes
        #expect(simple == Array("Role r\nKV Read:\n\ta".utf8) + [0xFF, 0x0A] + Array("\t[p, q) (prefix p)\nKV Write:\n".utf8)
            + Array("\t[p, q) (prefix p)\n\t[z, <open ended>\n".utf8))
        let json = try await output(.json) { try CtlAuth.printRole("r", r, $0) }.out
        #expect(json.hasPrefix(#"{"header":\#(Reference.headerJSON(revision: 4)),"perm":[{"key":"Yf8="},{"permType":2,"#))
    }

    @Test func formatPrintLeavesOutWhatItIsNotGiven() async throws {
        await #expect {
            try await output(.fields) { try $0.print(simple: "x", json: .null) }
        } throws: { ($0 as? CtlFailure).map { $0.code == CtlExit.badFeature && $0.message == "fields not supported as output format" } ?? false }
        #expect(try await output(.table) { try $0.print(simple: "x", table: "t\n") }.out == "t\n")
        #expect(try await output(.json) { try $0.print(simple: "x", json: .array([])) }.out == "[]\n")
    }
}
