/// A point in the store's history. `main` is the revision every change of one write shares;
/// `sub` orders the changes inside it, as in etcd's MVCC.
public struct Revision: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The store-wide revision of the write.
    public var main: Int64
    /// The position of the change within its write.
    public var sub: Int64

    public init(main: Int64, sub: Int64 = 0) {
        self.main = main
        self.sub = sub
    }

    public static func < (lhs: Revision, rhs: Revision) -> Bool {
        lhs.main != rhs.main ? lhs.main < rhs.main : lhs.sub < rhs.sub
    }

    public var description: String { "\(main)_\(sub)" }
}
