import Foundation

/// The `data` of a RangeAllocation as kube-apiserver's bitmap allocator keeps it: a big
/// integer whose bit `i` is set when offset `i` of the range is taken, stored as its minimal
/// big-endian bytes in base64 (Go's `big.Int.Bytes()`), so `AQ==` is "offset 0 taken".
struct AllocationBitmap: Sendable, Equatable {
    /// Little-endian: offset `i` is bit `i % 8` of `bytes[i / 8]`; no trailing zero bytes.
    private var bytes: [UInt8]

    /// No offset taken.
    init() {
        bytes = []
    }

    /// Reads a stored `data` field; nil when it is not base64.
    init?(base64 text: String) {
        guard let data = Data(base64Encoded: text) else { return nil }
        bytes = Array(data.reversed())
        trim()
    }

    /// The `data` field: minimal big-endian bytes, base64.
    var base64: String {
        Data(bytes.reversed()).base64EncodedString()
    }

    /// Whether `offset` is taken.
    func contains(_ offset: Int) -> Bool {
        let index = offset / 8
        return index < bytes.count && bytes[index] & (1 << UInt8(offset % 8)) != 0
    }

    /// Marks `offset` taken.
    mutating func insert(_ offset: Int) {
        let index = offset / 8
        if index >= bytes.count { bytes += [UInt8](repeating: 0, count: index - bytes.count + 1) }
        bytes[index] |= 1 << UInt8(offset % 8)
    }

    /// Marks `offset` free.
    mutating func remove(_ offset: Int) {
        let index = offset / 8
        guard index < bytes.count else { return }
        bytes[index] &= ~(1 << UInt8(offset % 8))
        trim()
    }

    /// The first free offset in `range` at or after `start`, wrapping round to the range's
    /// start: kube's random-scan strategy, which finds a free offset whenever there is one.
    func firstFree(in range: Range<Int>, from start: Int) -> Int? {
        firstFree(in: start..<range.upperBound) ?? firstFree(in: range.lowerBound..<start)
    }

    private func firstFree(in range: Range<Int>) -> Int? {
        var offset = range.lowerBound
        while offset < range.upperBound {
            // Whole taken bytes are skipped at once: ranges hold up to 2^20 offsets.
            if offset % 8 == 0, offset / 8 < bytes.count, bytes[offset / 8] == 0xFF {
                offset += 8
                continue
            }
            if !contains(offset) { return offset }
            offset += 1
        }
        return nil
    }

    private mutating func trim() {
        while bytes.last == 0 { bytes.removeLast() }
    }
}
