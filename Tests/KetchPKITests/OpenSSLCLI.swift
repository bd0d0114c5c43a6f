import Foundation

/// Runs the real `openssl` command line, the independent judge of what KetchPKI writes.
enum OpenSSLCLI {
    struct Output {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    static func run(_ arguments: [String], in directory: String? = nil) throws -> Output {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["openssl"] + arguments
        if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        // Read before waiting so a full pipe cannot block the child.
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Output(
            status: process.terminationStatus,
            stdout: String(decoding: stdout, as: UTF8.self),
            stderr: String(decoding: stderr, as: UTF8.self))
    }

    /// `openssl x509 -noout -text`, with lines trimmed.
    static func text(_ certificate: String) throws -> [String] {
        let output = try run(["x509", "-noout", "-text", "-in", certificate])
        guard output.status == 0 else { throw Failure("x509 -text \(certificate): \(output.stderr)") }
        return output.stdout.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
    }

    /// The line after the header `name` in `-text` output (extension values sit on the next line).
    static func value(after header: String, in lines: [String]) -> String? {
        guard let index = lines.firstIndex(where: { $0.hasPrefix(header) }), index + 1 < lines.count else { return nil }
        return lines[index + 1]
    }

    struct Failure: Error, CustomStringConvertible {
        var description: String
        init(_ description: String) { self.description = description }
    }
}
