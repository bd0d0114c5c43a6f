import Foundation

/// CRC-32 with the Castagnoli polynomial, as Go's `crc32.MakeTable(crc32.Castagnoli)`: etcd's
/// HashKV uses it, so the same history hashes to the same number here and in etcd.
struct CRC32C {
    /// Slicing-by-8 tables: `tables[0]` is the classic byte table, the others extend it so eight
    /// input bytes are folded per step (hashing reads the whole history).
    private static let tables: [[UInt32]] = {
        let polynomial: UInt32 = 0x82F6_3B78  // reversed 0x1EDC6F41
        var tables = [[UInt32]](repeating: [UInt32](repeating: 0, count: 256), count: 8)
        for i in 0..<256 {
            var c = UInt32(i)
            for _ in 0..<8 { c = (c & 1) != 0 ? (c >> 1) ^ polynomial : c >> 1 }
            tables[0][i] = c
        }
        for i in 0..<256 {
            for t in 1..<8 {
                let previous = tables[t - 1][i]
                tables[t][i] = (previous >> 8) ^ tables[0][Int(previous & 0xff)]
            }
        }
        return tables
    }()

    private var crc: UInt32 = 0xFFFF_FFFF

    init() {}

    mutating func update(_ bytes: UnsafeRawBufferPointer) {
        let t = Self.tables
        var c = crc
        var i = 0
        let n = bytes.count
        while n - i >= 8 {
            let lo = c ^ (UInt32(bytes[i]) | UInt32(bytes[i + 1]) << 8 | UInt32(bytes[i + 2]) << 16 | UInt32(bytes[i + 3]) << 24)
            c = t[7][Int(lo & 0xff)] ^ t[6][Int((lo >> 8) & 0xff)] ^ t[5][Int((lo >> 16) & 0xff)] ^ t[4][Int(lo >> 24)]
                ^ t[3][Int(bytes[i + 4])] ^ t[2][Int(bytes[i + 5])] ^ t[1][Int(bytes[i + 6])] ^ t[0][Int(bytes[i + 7])]
            i += 8
        }
        while i < n {
            c = t[0][Int((c ^ UInt32(bytes[i])) & 0xff)] ^ (c >> 8)
            i += 1
        }
        crc = c
    }

    mutating func update<Bytes: ContiguousBytes>(_ bytes: Bytes) {
        bytes.withUnsafeBytes { update($0) }
    }

    /// The checksum of everything written so far (Go's `Sum32`).
    var value: UInt32 { crc ^ 0xFFFF_FFFF }
}
