import Foundation
import KubeCore

/// The query of `GET /api/v1/namespaces/{ns}/pods/{name}/log` (core/v1 PodLogOptions), as
/// `kubectl logs [-c C] [-f] [--tail N] [--since D|--since-time T] [--timestamps] [--limit-bytes N] [-p]` sends it.
public struct LogOptions: Sendable, Equatable {
    /// `container`; nil means the pod's only container.
    public var container: String?
    /// `follow`: keep the stream open and send lines as they are written.
    public var follow = false
    /// `previous`: the log of the container's previous instance (there never is one here).
    public var previous = false
    /// `sinceSeconds`: only lines newer than this many seconds.
    public var sinceSeconds: Int?
    /// `sinceTime` (RFC 3339): only lines at or after this time.
    public var sinceTime: Date?
    /// `timestamps`: prefix each line with its RFC3339Nano time.
    public var timestamps = false
    /// `tailLines`: only the last N lines.
    public var tailLines: Int?
    /// `limitBytes`: stop after this many bytes.
    public var limitBytes: Int?

    /// Default options: the whole log, once.
    public init() {}

    /// Parses the request's raw query string.
    /// - Throws: `KubeStatus` 400 for malformed or contradictory values.
    public init(query rawQuery: String) throws(KubeStatus) {
        try self.init(QueryItems(rawQuery))
    }

    /// Parses decoded query items.
    public init(_ query: QueryItems) throws(KubeStatus) {
        func integer(_ name: String, minimum: Int) throws(KubeStatus) -> Int? {
            guard let text = query[name], !text.isEmpty else { return nil }
            guard let value = Int(text), value >= minimum else {
                throw KubeStatus.badRequest("invalid value for \(name): \"\(text)\" (must be an integer ≥ \(minimum))")
            }
            return value
        }
        container = query["container"].flatMap { $0.isEmpty ? nil : $0 }
        follow = query.bool("follow")
        previous = query.bool("previous")
        timestamps = query.bool("timestamps")
        sinceSeconds = try integer("sinceSeconds", minimum: 1)
        tailLines = try integer("tailLines", minimum: 0)
        limitBytes = try integer("limitBytes", minimum: 1)
        if let text = query["sinceTime"], !text.isEmpty {
            guard let date = KubeTime.parse(text) else {
                throw KubeStatus.badRequest("invalid value for sinceTime: \"\(text)\" (must be RFC 3339)")
            }
            sinceTime = date
        }
        if sinceSeconds != nil && sinceTime != nil {
            throw KubeStatus.badRequest("at most one of sinceTime or sinceSeconds may be specified")
        }
    }

    /// The earliest line time wanted, if any.
    func cutoff(now: Date) -> Date? {
        if let sinceTime { return sinceTime }
        if let sinceSeconds { return now.addingTimeInterval(-Double(sinceSeconds)) }
        return nil
    }
}
