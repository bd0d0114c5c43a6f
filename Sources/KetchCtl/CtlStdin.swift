import Foundation

/// Byte-wise reading of standard input, as Go's `bufio.Reader` over `os.Stdin`.
final class CtlStdin: @unchecked Sendable {
    static let shared = CtlStdin()
    private var buffer: [UInt8] = []
    private var eof = false

    private func fill() -> Bool {
        if eof { return false }
        let data = FileHandle.standardInput.availableData
        if data.isEmpty {
            eof = true
            return false
        }
        buffer += data
        return true
    }

    /// `ReadString('\n')`: the line with its newline; nil at end of input when no newline came
    /// (Go returns the partial line with `io.EOF`).
    func readLine() -> String? {
        while true {
            if let i = buffer.firstIndex(of: 0x0A) {
                let line = Array(buffer[...i])
                buffer.removeFirst(i + 1)
                return String(decoding: line, as: UTF8.self)
            }
            if !fill() { return nil }
        }
    }

    /// speakeasy's readline: bytes up to a newline or the end (no error at the end), `\r` dropped.
    func readPasswordLine() -> String {
        while true {
            if let i = buffer.firstIndex(of: 0x0A) {
                let line = Array(buffer[..<i])
                buffer.removeFirst(i + 1)
                var s = String(decoding: line, as: UTF8.self)
                if s.hasSuffix("\r") { s.removeLast() }
                return s
            }
            if !fill() {
                let s = String(decoding: buffer, as: UTF8.self)
                buffer = []
                return s.hasSuffix("\r") ? String(s.dropLast()) : s
            }
        }
    }

    /// `fmt.Scanf("%s", &s)`: the first space-separated word of the first line.
    func scanWord() -> String {
        // Scanf stops at a newline; leading spaces are skipped.
        var word: [UInt8] = []
        while true {
            if buffer.isEmpty, !fill() { break }
            let b = buffer.removeFirst()
            if b == 0x20 || b == 0x09 || b == 0x0D {
                if word.isEmpty { continue }
                break
            }
            if b == 0x0A { break }
            word.append(b)
        }
        return String(decoding: word, as: UTF8.self)
    }
}
