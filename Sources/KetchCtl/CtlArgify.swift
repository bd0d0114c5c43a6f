import Foundation
import GoText

/// etcdctl's `Argify`: a line split into words, "double-quoted" (Go-unquoted) and 'single-quoted'
/// strings kept whole.
enum CtlArgify {
    static let pattern = try! NSRegularExpression(pattern: #""(?:[^"\\]|\\.)*"|'[^']*'|[^'"\s]\S*[^'"\s]?"#)

    static func split(_ line: String) -> [String] {
        let ns = line as NSString
        var args = pattern.matches(in: line, range: NSRange(location: 0, length: ns.length)).map { ns.substring(with: $0.range) }
        let count = args.count
        for i in args.indices where !args[i].isEmpty {
            if args[i].hasPrefix("'") {
                // etcdctl slices [1 : len(args)-1] (the number of words, not the word's length).
                let bytes = Array(args[i].utf8)
                let end = count - 1
                if end > bytes.count || end < 1 {
                    CtlTxn.goPanic("runtime error: slice bounds out of range [\(end < 1 ? "1:\(end)" : ":\(end)")] with length \(bytes.count)")
                }
                args[i] = String(decoding: bytes[1..<end], as: UTF8.self)
            } else if args[i].hasPrefix("\""), let unquoted = GoQuote.unquote(args[i]) {
                args[i] = unquoted.text
            }
        }
        return args
    }
}
