import COpenSSL

/// Small helpers around libcrypto's calling conventions.
enum LibCrypto {
    /// Drains the calling thread's libcrypto error queue into one line.
    ///
    /// The queue is per thread and cumulative: draining on every failure keeps one failure's
    /// reasons from showing up in the next, unrelated error.
    static func drainErrors() -> String {
        var reasons: [String] = []
        var buffer = [CChar](repeating: 0, count: 256)
        while true {
            let code = ERR_get_error()
            if code == 0 { break }
            buffer.withUnsafeMutableBufferPointer { raw in
                ERR_error_string_n(code, raw.baseAddress, raw.count)
                reasons.append(String(cString: raw.baseAddress!))
            }
        }
        return reasons.isEmpty ? "no reason given by libcrypto" : reasons.joined(separator: "; ")
    }

    /// The error for a failed call, with libcrypto's reasons.
    static func failure(_ operation: String) -> PKIError {
        .openssl(operation: operation, detail: drainErrors())
    }

    /// Throws unless `result` is 1, libcrypto's usual success value.
    static func check(_ result: Int32, _ operation: String) throws {
        guard result == 1 else { throw failure(operation) }
    }

    /// Discards stale errors, e.g. after a call whose failure is an expected answer.
    static func clearErrors() {
        ERR_clear_error()
    }
}
