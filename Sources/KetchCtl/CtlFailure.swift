import Foundation

/// etcdctl's exit codes (`cobrautl`).
enum CtlExit {
    static let success: Int32 = 0
    static let error: Int32 = 1
    static let badConnection: Int32 = 2
    static let invalidInput: Int32 = 3
    static let badFeature: Int32 = 4
    static let interrupted: Int32 = 5
    static let badArgs: Int32 = 128
}

/// An error that ends `ketch ctl` as etcdctl's `ExitWithError` does: `Error: <message>` on stderr.
struct CtlFailure: Error {
    var code: Int32
    var message: String
    /// Printed instead of `Error: …` when set (some etcdctl paths print their own line).
    var silent = false

    init(_ code: Int32, _ message: String) {
        self.code = code
        self.message = message
    }

    static func silentExit(_ code: Int32) -> CtlFailure {
        var f = CtlFailure(code, "")
        f.silent = true
        return f
    }
}
