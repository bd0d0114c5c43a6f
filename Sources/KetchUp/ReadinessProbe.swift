import Dispatch
import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The checks `ketch up` makes before it calls a component ready, on plain sockets: no HTTP
/// client package, and nothing that needs the cluster's CA (see `UpCommand` for why the
/// apiserver gets a TCP check rather than an HTTPS one).
public enum ReadinessProbe {
    /// Whether a TCP connection to `address` opens within `timeout`.
    public static func connects(to address: DialAddress, timeout: Duration = .seconds(1)) async -> Bool {
        await offload {
            guard let socket = ProbeSocket(connectingTo: address, timeout: timeout) else { return false }
            socket.close()
            return true
        }
    }

    /// The status code of `GET path` over plain HTTP/1.1, or nil when nothing answered in time.
    public static func httpStatus(of address: DialAddress, path: String, timeout: Duration = .seconds(1)) async -> Int? {
        await offload {
            guard let socket = ProbeSocket(connectingTo: address, timeout: timeout) else { return nil }
            defer { socket.close() }
            let request = "GET \(path) HTTP/1.1\r\nHost: \(address)\r\nUser-Agent: ketch-up\r\nAccept: */*\r\nConnection: close\r\n\r\n"
            guard socket.send(Array(request.utf8)) else { return nil }
            // Only the status line matters: "HTTP/1.1 200 OK".
            guard let line = socket.receiveLine(limit: 4096) else { return nil }
            let parts = line.split(separator: " ", maxSplits: 2)
            guard parts.count >= 2, parts[0].hasPrefix("HTTP/") else { return nil }
            return Int(parts[1])
        }
    }

    /// Runs blocking socket calls on a Dispatch thread, so they never hold a cooperative-pool thread.
    private static func offload<T: Sendable>(_ body: @escaping @Sendable () -> T) async -> T {
        await withCheckedContinuation { continuation in
            DispatchQueue.global().async { continuation.resume(returning: body()) }
        }
    }
}

/// A blocking TCP socket with timeouts, enough for one probe request.
private struct ProbeSocket {
    let fd: Int32

    /// Connects to the first address `address.host` resolves to that accepts within `timeout`.
    init?(connectingTo address: DialAddress, timeout: Duration) {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        #if canImport(Darwin)
        hints.ai_socktype = SOCK_STREAM
        #else
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        #endif
        hints.ai_flags = AI_NUMERICSERV
        var list: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo(address.host, String(address.port), &hints, &list) == 0, let first = list else { return nil }
        defer { freeaddrinfo(first) }
        let millis = Int32(clamping: timeout.components.seconds * 1000 + timeout.components.attoseconds / 1_000_000_000_000_000)
        var entry: UnsafeMutablePointer<addrinfo>? = first
        while let info = entry {
            entry = info.pointee.ai_next
            if let fd = Self.connect(info.pointee, timeoutMillis: millis) {
                self.fd = fd
                return
            }
        }
        return nil
    }

    private static func connect(_ info: addrinfo, timeoutMillis: Int32) -> Int32? {
        let fd = socket(info.ai_family, info.ai_socktype, info.ai_protocol)
        guard fd >= 0 else { return nil }
        // Close-on-exec: children started meanwhile must not inherit a probe's socket.
        _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
        // Non-blocking connect, so a dropped SYN costs the timeout rather than the kernel's minutes.
        let flags = fcntl(fd, F_GETFL)
        _ = fcntl(fd, F_SETFL, flags | O_NONBLOCK)
        var result = systemConnect(fd, info.ai_addr, info.ai_addrlen)
        if result != 0 && errno == EINPROGRESS {
            var poller = pollfd(fd: fd, events: Int16(POLLOUT), revents: 0)
            if poll(&poller, 1, timeoutMillis) == 1 {
                var error: Int32 = 0
                var length = socklen_t(MemoryLayout<Int32>.size)
                getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &length)
                result = error == 0 ? 0 : -1
            }
        }
        guard result == 0 else {
            _ = systemClose(fd)
            return nil
        }
        _ = fcntl(fd, F_SETFL, flags)
        var time = timeval(tv_sec: Int(timeoutMillis / 1000), tv_usec: .init((timeoutMillis % 1000) * 1000))
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &time, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &time, socklen_t(MemoryLayout<timeval>.size))
        return fd
    }

    func send(_ bytes: [UInt8]) -> Bool {
        var sent = 0
        while sent < bytes.count {
            let n = bytes[sent...].withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
            guard n > 0 else { return false }
            sent += n
        }
        return true
    }

    /// Reads up to the first CRLF (or the end of the stream), at most `limit` bytes.
    func receiveLine(limit: Int) -> String? {
        var data: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 512)
        while data.count < limit {
            let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            guard n > 0 else { break }
            data += buffer[..<n]
            if let end = data.firstIndex(of: UInt8(ascii: "\r")) ?? data.firstIndex(of: UInt8(ascii: "\n")) {
                return String(decoding: data[..<end], as: UTF8.self)
            }
        }
        return data.isEmpty ? nil : String(decoding: data, as: UTF8.self)
    }

    func close() { _ = systemClose(fd) }
}

// `connect` and `close` are shadowed by ProbeSocket's own names inside the type.
private func systemConnect(_ fd: Int32, _ address: UnsafePointer<sockaddr>!, _ length: socklen_t) -> Int32 {
    connect(fd, address, length)
}

private func systemClose(_ fd: Int32) -> Int32 { close(fd) }
