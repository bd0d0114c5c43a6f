/// The kinds of alarm etcd raises (`etcdserverpb.AlarmType`).
public enum AlarmType: Int32, Sendable, Hashable, Comparable, CustomStringConvertible {
    /// In a request: any alarm. Never raised.
    case none = 0
    /// The backend grew past `--quota-backend-bytes`; writes that add data are refused.
    case noSpace = 1
    /// A member's data was found corrupt; every write is refused.
    case corrupt = 2

    public static func < (a: AlarmType, b: AlarmType) -> Bool { a.rawValue < b.rawValue }

    /// The protobuf enum name, as etcd prints it.
    public var description: String {
        switch self {
        case .none: return "NONE"
        case .noSpace: return "NOSPACE"
        case .corrupt: return "CORRUPT"
        }
    }
}

/// One raised alarm: which member raised it, and what it is (`etcdserverpb.AlarmMember`).
public struct AlarmMember: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var memberID: UInt64
    public var type: AlarmType

    public init(memberID: UInt64, type: AlarmType) {
        self.memberID = memberID
        self.type = type
    }

    /// By type, then member: etcd lists alarms in map order, so any stable order will do.
    public static func < (a: AlarmMember, b: AlarmMember) -> Bool {
        a.type != b.type ? a.type < b.type : a.memberID < b.memberID
    }

    /// The protobuf compact text form etcd puts in Status `errors`
    /// (`memberID:… alarm:NOSPACE `, zero fields left out, each field followed by a space).
    public var description: String {
        var text = ""
        if memberID != 0 { text += "memberID:\(memberID) " }
        if type != .none { text += "alarm:\(type) " }
        return text
    }
}

/// A request refused by the backend quota or by an active alarm, with etcd's message.
public enum AlarmError: Error, Sendable, Equatable, CustomStringConvertible {
    /// `etcdserver: mvcc: database space exceeded` (gRPC ResourceExhausted).
    case noSpace
    /// `etcdserver: corrupt cluster` (gRPC DataLoss).
    case corrupt

    public var description: String {
        switch self {
        case .noSpace: return "etcdserver: mvcc: database space exceeded"
        case .corrupt: return "etcdserver: corrupt cluster"
        }
    }
}
