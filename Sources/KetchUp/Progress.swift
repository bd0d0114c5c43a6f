import Foundation

/// Prints a line of `ketch up`'s progress at once. stdout is block-buffered when it is a pipe (a
/// test, `tee`), and `fflush(NULL)` flushes it (and whatever `ketch init`'s phases printed before)
/// without naming the C `stdout` global, which Swift 6 refuses as shared mutable state.
public func progress(_ line: String) {
    print(line)
    fflush(nil)
}

extension Duration {
    /// `0.84s`, `2s`: seconds as people read them.
    public var secondsText: String {
        let seconds = Double(components.seconds) + Double(components.attoseconds) / 1e18
        return seconds == seconds.rounded() ? "\(Int(seconds))s" : String(format: "%.2fs", seconds)
    }
}
