import Foundation
import GoText
import Logging
import Synchronization

/// Writes one JSON object per line to stderr, shaped like etcd's zap logs:
/// `{"level":"info","ts":"…","caller":"…","msg":"…", fields…}`.
public struct EtcdLogHandler: LogHandler {
    /// Fields every line of this logger carries.
    public var metadata: Logger.Metadata = [:]
    /// The lowest level written.
    public var logLevel: Logger.Level
    /// The logger's label (etcd's logger name; not written, as etcd's lines do not name it).
    public let label: String

    /// Serialises writes so lines from concurrent tasks never interleave.
    private static let output = Mutex<FileHandle>(FileHandle.standardError)

    /// A handler for `LoggingSystem.bootstrap`.
    public init(label: String, level: Logger.Level) {
        self.label = label
        self.logLevel = level
    }

    /// One field of ``metadata``.
    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    /// Writes the event as one line.
    public func log(event: LogEvent) {
        let data = Data(line(for: event, at: Date()).utf8)
        Self.output.withLock { $0.write(data) }
    }

    /// The event as etcd would print it at `date`, with its newline.
    func line(for event: LogEvent, at date: Date) -> String {
        var line = "{\"level\":\"\(Self.levelName(event.level))\",\"ts\":\"\(Self.timestamp(date))\""
        line += ",\"caller\":\(Self.quote("\(event.source)/\((event.file as NSString).lastPathComponent):\(event.line)"))"
        line += ",\"msg\":\(Self.quote(event.message.description))"
        let fields = metadata.merging(event.metadata ?? [:]) { $1 }
        for key in fields.keys.sorted() {
            line += ",\(Self.quote(key)):\(Self.json(fields[key]!))"
        }
        return line + "}\n"
    }

    private static func levelName(_ level: Logger.Level) -> String {
        switch level {
        case .trace, .debug: return "debug"
        case .info, .notice: return "info"
        case .warning: return "warn"
        case .error: return "error"
        case .critical: return "fatal"
        }
    }

    private static func timestamp(_ date: Date) -> String {
        date.formatted(.iso8601.year().month().day().time(includingFractionalSeconds: true).timeZone(separator: .omitted))
    }

    private static func json(_ value: Logger.Metadata.Value) -> String {
        switch value {
        case .string(let s): return quote(s)
        case .stringConvertible(let c): return quote(c.description)
        case .array(let items): return "[" + items.map(json).joined(separator: ",") + "]"
        case .dictionary(let d): return "{" + d.keys.sorted().map { "\(quote($0)):\(json(d[$0]!))" }.joined(separator: ",") + "}"
        }
    }

    /// zap's JSON strings: Go's escaping without the HTML-safe escapes.
    private static func quote(_ s: String) -> String {
        GoJSONString.quoted(s, escapingHTML: false)
    }
}

extension Logger.Level {
    /// Parses etcd's `--log-level` values.
    public init?(etcdName: String) {
        switch etcdName.lowercased() {
        case "debug": self = .debug
        case "info": self = .info
        case "warn": self = .warning
        case "error": self = .error
        case "panic", "fatal": self = .critical
        default: return nil
        }
    }
}
