import EtcdProto
import Foundation
import Testing
@testable import EtcdClient
@testable import KetchCtl

/// A command's outcome as the process would show it.
struct CtlRun {
    var code: Int32
    var stdoutBytes: [UInt8]
    var stdout: String { String(decoding: stdoutBytes, as: UTF8.self) }
    var stderr: String
}

/// Runs an etcdctl command line in-process with a clean environment, capturing its output.
func ctl(_ args: [String], environment: [String: String] = [:]) async -> CtlRun {
    let capture = CtlCapture()
    let code = await capture.run { await CtlCommand.execute(args, environment: environment) }
    return CtlRun(code: code, stdoutBytes: capture.stdoutBytes, stderr: capture.stderr)
}

/// What `body` writes through `CtlIO`: stdout bytes and stderr text.
func printed(_ body: () throws -> Void) async rethrows -> (out: String, bytes: [UInt8], err: String) {
    let capture = CtlCapture()
    try await capture.run { try body() }
    return (capture.stdout, capture.stdoutBytes, capture.stderr)
}

/// The global options of a command line (`-w json`, `--hex`), as the commands get them.
func globals(_ args: [String]) throws -> CtlGlobals {
    try CtlGlobals(CtlArgumentParser.parse(args), environment: [:])
}

/// Values from a real etcd 3.5.1 member, so expected texts are etcdctl's own output.
enum Reference {
    static let clusterID: UInt64 = 15_118_495_548_433_857_066
    static let memberID: UInt64 = 13_668_033_151_171_901_709

    static func header(revision: Int64) -> EtcdResponseHeader {
        EtcdResponseHeader(clusterID: clusterID, memberID: memberID, revision: revision, raftTerm: 2)
    }

    static func wireHeader(revision: Int64) -> Etcdserverpb_ResponseHeader {
        var h = Etcdserverpb_ResponseHeader()
        h.clusterID = clusterID
        h.memberID = memberID
        h.revision = revision
        h.raftTerm = 2
        return h
    }

    /// `{"cluster_id":…,"member_id":…,"revision":N,"raft_term":2}`.
    static func headerJSON(revision: Int64) -> String {
        #"{"cluster_id":15118495548433857066,"member_id":13668033151171901709,"revision":\#(revision),"raft_term":2}"#
    }

    /// The fields printer's header lines.
    static func headerFields(revision: Int64) -> String {
        "\"ClusterID\" : 15118495548433857066\n\"MemberID\" : 13668033151171901709\n\"Revision\" : \(revision)\n\"RaftTerm\" : 2\n"
    }
}

/// Bytes from their hex text (etcdctl's `-w protobuf` output, recorded as hex).
func hexBytes(_ hex: String) -> [UInt8] {
    var out: [UInt8] = []
    var i = hex.startIndex
    while i < hex.endIndex {
        let next = hex.index(i, offsetBy: 2)
        out.append(UInt8(hex[i..<next], radix: 16)!)
        i = next
    }
    return out
}

/// One of etcdctl 3.5.1's help texts in Fixtures/.
func fixture(_ name: String) throws -> String {
    let url = try #require(Bundle.module.url(forResource: name, withExtension: "txt", subdirectory: "Fixtures"))
    return try String(contentsOf: url, encoding: .utf8)
}
