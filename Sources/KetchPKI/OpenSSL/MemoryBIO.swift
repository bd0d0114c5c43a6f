import COpenSSL
import Foundation

/// In-memory BIOs, the way PEM crosses between Swift and libcrypto.
enum MemoryBIO {
    /// Runs `body` with a read-only BIO over `data`; the BIO is freed on every path.
    static func reading<T>(_ data: Data, _ body: (OpaquePointer) throws -> T) throws -> T {
        try data.withUnsafeBytes { raw -> T in
            // An empty buffer may have no base address; libcrypto wants a valid pointer anyway.
            let base = raw.baseAddress ?? UnsafeRawPointer(bitPattern: 1)!
            guard let bio = BIO_new_mem_buf(base, Int32(raw.count)) else {
                throw LibCrypto.failure("BIO_new_mem_buf")
            }
            defer { BIO_free(bio) }
            return try body(bio)
        }
    }

    /// Runs `write` against a fresh memory BIO and returns what it wrote.
    ///
    /// `write` returns libcrypto's status (1 = success).
    static func writing(_ operation: String, _ write: (OpaquePointer) -> Int32) throws -> Data {
        guard let bio = BIO_new(BIO_s_mem()) else { throw LibCrypto.failure("BIO_new") }
        defer { BIO_free(bio) }
        guard write(bio) == 1 else { throw LibCrypto.failure(operation) }
        let pending = Int(BIO_ctrl_pending(bio))
        var output = Data(count: pending)
        let read = output.withUnsafeMutableBytes { raw in
            BIO_read(bio, raw.baseAddress, Int32(pending))
        }
        guard read == pending || pending == 0 else { throw LibCrypto.failure("BIO_read") }
        return output
    }
}
