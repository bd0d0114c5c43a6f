import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A fresh directory under the system's temporary directory; the caller removes it.
func makeScratchDirectory() throws -> String {
    let path = NSTemporaryDirectory() + "ketch-up-tests-" + UUID().uuidString
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
}

/// Polls `condition` every 20 ms for up to `seconds`; whether it came true. Generous, because a
/// parallel unit run on 2 cores can starve the cooperative pool for seconds; it returns as soon
/// as the condition holds.
func eventually(within seconds: Double = 60, _ condition: () -> Bool) async -> Bool {
    let deadline = Date().addingTimeInterval(seconds)
    while Date() < deadline {
        if condition() { return true }
        try? await Task.sleep(for: .milliseconds(20))
    }
    return condition()
}

/// A loopback TCP listener on a port of its own that answers each HTTP request with the status
/// `statuses` gives its path (404 for others), on a thread of its own, until stopped.
final class LoopbackHTTPListener: Sendable {
    let port: Int
    private let fd: Int32
    private let open = Mutex(true)

    init(statuses: [String: Int] = [:]) throws {
        #if canImport(Darwin)
        fd = socket(AF_INET, SOCK_STREAM, 0)
        #else
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #endif
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let fd = fd
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer in
                bind(fd, pointer, length) == 0 && listen(fd, 16) == 0 && getsockname(fd, pointer, &length) == 0
            }
        }
        guard fd >= 0, bound else { throw POSIXError(.EADDRNOTAVAIL) }
        port = Int(UInt16(bigEndian: address.sin_port))
        // Ends when stop() shuts the socket down and accept fails.
        Thread {
            while case let client = accept(fd, nil, nil), client >= 0 {
                answer(client, statuses: statuses)
            }
        }.start()
    }

    /// Stops listening: the port refuses connections from now on.
    func stop() {
        guard open.withLock({ was in defer { was = false }; return was }) else { return }
        _ = shutdown(fd, Int32(SHUT_RDWR))
        _ = close(fd)
    }

    deinit { stop() }
}

/// Reads one request from `client` and answers with the status for its path.
private func answer(_ client: Int32, statuses: [String: Int]) {
    defer { _ = close(client) }
    var buffer = [UInt8](repeating: 0, count: 4096)
    let count = buffer.withUnsafeMutableBytes { read(client, $0.baseAddress, $0.count) }
    guard count > 0 else { return }
    let request = String(decoding: buffer[..<count], as: UTF8.self)
    let path = request.split(separator: " ").dropFirst().first.map(String.init) ?? "/"
    let response = "HTTP/1.1 \(statuses[path] ?? 404) X\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
    _ = response.withCString { write(client, $0, strlen($0)) }
}
