import EtcdProto
import EtcdClient
import Foundation
import SwiftProtobuf

/// The output formats of the commands printed from etcd's wire messages (txn, lease, alarm,
/// member add/remove/update, hashkv, auth), as etcdctl 3.5's printers: `simple`, `json`, `fields`,
/// `table` (mostly unsupported), and `protobuf` (the response message's bytes).
enum CtlFormat: String {
    case simple, json, fields, table, protobuf

    init(_ g: CtlGlobals) throws {
        guard let f = CtlFormat(rawValue: g.writeOut) else {
            throw CtlFailure(CtlExit.badFeature, "unsupported output format")
        }
        self = f
    }

    /// etcdctl's `printerUnsupported`: "<format> not supported as output format".
    var unsupported: CtlFailure { CtlFailure(CtlExit.badFeature, "\(rawValue) not supported as output format") }

    /// The printer for the kv parts (simple/fields/json of get, put, del).
    func kvPrinter(_ g: CtlGlobals) throws -> CtlPrinter {
        try CtlPrinter(writeOut: self == .protobuf || self == .table ? "simple" : rawValue, hex: g.hex)
    }

    /// Prints one response as etcdctl's printer for this format does, from each format's text
    /// (evaluated only for the format asked for); a format given none is etcdctl's
    /// "<format> not supported as output format".
    func print(simple: @autoclosure () -> String? = nil, json: @autoclosure () -> GoJSON? = nil,
               fields: @autoclosure () -> String? = nil, table: @autoclosure () -> String? = nil,
               protobuf: @autoclosure () -> (any SwiftProtobuf.Message)? = nil) throws {
        switch self {
        case .simple: CtlIO.out(try text(simple()))
        case .json: CtlIO.out(try text(json()).text + "\n")
        case .fields: CtlIO.out(try text(fields()))
        case .table: CtlIO.out(try text(table()))
        case .protobuf:
            let message = try text(protobuf())
            try CtlRPC.printProtobuf(message)
        }
    }

    private func text<T>(_ value: T?) throws -> T {
        guard let value else { throw unsupported }
        return value
    }
}

/// A response message with etcd's header, printed by ``CtlFormat/print(simple:json:fields:table:protobuf:)``.
protocol CtlHeadered: SwiftProtobuf.Message {
    var header: Etcdserverpb_ResponseHeader { get }
}

extension Etcdserverpb_AuthUserAddResponse: CtlHeadered {}
extension Etcdserverpb_AuthUserDeleteResponse: CtlHeadered {}
extension Etcdserverpb_AuthUserChangePasswordResponse: CtlHeadered {}
extension Etcdserverpb_AuthUserGrantRoleResponse: CtlHeadered {}
extension Etcdserverpb_AuthUserRevokeRoleResponse: CtlHeadered {}
extension Etcdserverpb_AuthRoleAddResponse: CtlHeadered {}
extension Etcdserverpb_AuthRoleDeleteResponse: CtlHeadered {}
extension Etcdserverpb_AuthRoleGrantPermissionResponse: CtlHeadered {}
extension Etcdserverpb_AuthRoleRevokePermissionResponse: CtlHeadered {}

/// A membership change's response: its header and the members after it.
protocol CtlMembersResponse: CtlHeadered {
    var members: [Etcdserverpb_Member] { get }
}

extension Etcdserverpb_MemberAddResponse: CtlMembersResponse {}
extension Etcdserverpb_MemberRemoveResponse: CtlMembersResponse {}
extension Etcdserverpb_MemberUpdateResponse: CtlMembersResponse {}
extension Etcdserverpb_MemberPromoteResponse: CtlMembersResponse {}
