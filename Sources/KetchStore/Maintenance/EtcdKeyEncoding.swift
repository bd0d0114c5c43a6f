import Foundation

/// How etcd's bbolt backend writes one change of the `key` bucket: the key is the revision
/// (`revToBytes`, plus `t` for a tombstone), the value a marshalled `mvccpb.KeyValue`.
/// HashKV hashes exactly these bytes, so Ketch rebuilds them to give etcd's hash.
enum EtcdKeyEncoding {
    /// The bucket name etcd feeds to the hash before the first entry.
    static let keyBucketName = Data("key".utf8)

    /// `revToBytes`: 8 bytes big-endian main, `_`, 8 bytes big-endian sub; tombstones get a trailing `t`.
    static func revisionKey(_ revision: Revision, tombstone: Bool) -> Data {
        var out = Data(capacity: 18)
        withUnsafeBytes(of: revision.main.bigEndian) { out.append(contentsOf: $0) }
        out.append(UInt8(ascii: "_"))
        withUnsafeBytes(of: revision.sub.bigEndian) { out.append(contentsOf: $0) }
        if tombstone { out.append(UInt8(ascii: "t")) }
        return out
    }

    /// The stored value: `mvccpb.KeyValue` in protobuf wire format (fields in number order, zero
    /// values left out, as Go's marshaller does). A tombstone stores only the key.
    static func keyValue(_ change: StoredChange) -> Data {
        var out = Data(capacity: change.key.count + change.value.count + 40)
        appendBytes(field: 1, change.key, to: &out)
        if !change.isTombstone {
            appendVarint(field: 2, change.createRevision, to: &out)
            appendVarint(field: 3, change.revision.main, to: &out)
            appendVarint(field: 4, change.version, to: &out)
            appendBytes(field: 5, change.value, to: &out)
            appendVarint(field: 6, change.lease, to: &out)
        }
        return out
    }

    private static func appendVarint(field: UInt64, _ value: Int64, to out: inout Data) {
        guard value != 0 else { return }
        appendRawVarint(field << 3, to: &out)
        appendRawVarint(UInt64(bitPattern: value), to: &out)
    }

    private static func appendBytes(field: UInt64, _ value: Data, to out: inout Data) {
        guard !value.isEmpty else { return }
        appendRawVarint(field << 3 | 2, to: &out)
        appendRawVarint(UInt64(value.count), to: &out)
        out.append(value)
    }

    private static func appendRawVarint(_ value: UInt64, to out: inout Data) {
        var v = value
        while v >= 0x80 {
            out.append(UInt8(truncatingIfNeeded: v) | 0x80)
            v >>= 7
        }
        out.append(UInt8(v))
    }
}
