import Logging

/// A message decided before it can be logged: configuration is resolved before logging is set
/// up (its level comes from the configuration), and etcd logs these first thing, too.
public struct EtcdLogNote: Sendable {
    /// The level to log at.
    public var level: Logger.Level
    /// The message (etcd's `msg`).
    public var message: String
    /// The fields beside the message.
    public var metadata: Logger.Metadata

    /// A note to log later.
    public init(level: Logger.Level, message: String, metadata: Logger.Metadata = [:]) {
        self.level = level
        self.message = message
        self.metadata = metadata
    }
}

extension Logger {
    /// Logs a note decided earlier, as if logged where this is called.
    public func log(_ note: EtcdLogNote, file: String = #fileID, function: String = #function, line: UInt = #line) {
        log(level: note.level, "\(note.message)", metadata: note.metadata, file: file, function: function, line: line)
    }
}
