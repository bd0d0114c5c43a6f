import EtcdProto
import GRPCCore
import KetchStore

// authpb messages <-> auth store types.

extension AuthPermission {
    init(wire p: Authpb_Permission) throws {
        let kind: Kind
        switch p.permType {
        case .read: kind = .read
        case .write: kind = .write
        case .readwrite: kind = .readWrite
        case .UNRECOGNIZED(let value):
            throw RPCError(code: .invalidArgument, message: "ketch: unknown permission type \(value)")
        }
        self.init(kind: kind, key: p.key, rangeEnd: p.rangeEnd)
    }
}

extension Authpb_Permission {
    init(_ permission: AuthPermission) {
        self.init()
        switch permission.kind {
        case .read: permType = .read
        case .write: permType = .write
        case .readWrite: permType = .readwrite
        }
        key = permission.key
        rangeEnd = permission.rangeEnd
    }
}
