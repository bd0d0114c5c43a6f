import Foundation

/// Byte-string helpers. etcd orders keys as raw bytes (Go's `bytes.Compare`), so every ordering
/// decision in the store goes through `compareBytes`.
@usableFromInline
func compareBytes(_ a: Data, _ b: Data) -> Int {
    a.withUnsafeBytes { pa in
        b.withUnsafeBytes { pb in
            let n = min(pa.count, pb.count)
            if n > 0 {
                let c = memcmp(pa.baseAddress!, pb.baseAddress!, n)
                if c != 0 { return c < 0 ? -1 : 1 }
            }
            return pa.count == pb.count ? 0 : (pa.count < pb.count ? -1 : 1)
        }
    }
}
