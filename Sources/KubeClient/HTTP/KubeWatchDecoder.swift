import Foundation
import KubeCore

/// Splits a watch response body into its newline-separated JSON events and decodes each as a
/// ``KubeWatchEvent``. Chunks may cut an event anywhere; the rest waits for the next chunk.
public struct KubeWatchDecoder: Sendable {
    private var pending: [UInt8] = []
    /// The resource watched, to fill in `apiVersion`/`kind` when an object lacks them.
    private let type: ResourceType?

    /// A decoder for a watch of `type`.
    public init(type: ResourceType? = nil) {
        self.type = type
    }

    /// The events completed by `chunk`.
    /// - Throws: when a complete line is not a watch event.
    public mutating func feed(_ chunk: some Collection<UInt8>) throws -> [KubeWatchEvent] {
        pending.append(contentsOf: chunk)
        var events: [KubeWatchEvent] = []
        var start = 0
        while let newline = pending[start...].firstIndex(of: UInt8(ascii: "\n")) {
            let line = pending[start..<newline]
            start = newline + 1
            if let event = try decodeLine(line) { events.append(event) }
        }
        pending.removeFirst(start)
        return events
    }

    /// The event of a body that ended without a final newline, if any.
    public mutating func finish() throws -> KubeWatchEvent? {
        defer { pending.removeAll() }
        return try decodeLine(pending[...])
    }

    /// One `{"type":…,"object":…}` line; nil for a blank one.
    public func decodeLine(_ line: ArraySlice<UInt8>) throws -> KubeWatchEvent? {
        guard line.contains(where: { !($0 == 32 || $0 == 9 || $0 == 13) }) else { return nil }
        let json = try JSONValue(parsing: Data(line))
        guard let kind = json["type"]?.string, var object = json["object"] else {
            throw KubeStatus(code: 500, reason: "InternalError",
                             message: "watch: not an event: \(String(decoding: line.prefix(200), as: UTF8.self))")
        }
        if let type, kind != "ERROR" {
            if object["apiVersion"] == nil { object["apiVersion"] = .string(type.apiVersion) }
            if object["kind"] == nil { object["kind"] = .string(type.kind) }
        }
        switch kind {
        case "ADDED": return .added(object)
        case "MODIFIED": return .modified(object)
        case "DELETED": return .deleted(object)
        case "BOOKMARK": return .bookmark(resourceVersion: object["metadata"]?["resourceVersion"]?.string ?? "")
        case "ERROR": return .error(KubeResponse.status(from: object))
        default:
            throw KubeStatus(code: 500, reason: "InternalError", message: "watch: unknown event type \"\(kind)\"")
        }
    }
}
