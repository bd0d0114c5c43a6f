import Foundation

/// What etcd's Maintenance service needs of a storage engine beyond `StorageEngine`:
/// alarms that survive restarts, the size the quota counts, a scan of the kept history,
/// defragmentation and point-in-time copies.
///
/// Kept apart from `StorageEngine` so an engine can start without it; the store then
/// answers these requests with `MaintenanceUnsupportedError` and enforces no quota.
public protocol StorageMaintenance: StorageEngine {
    /// A reader of the size the backend quota counts (etcd's bbolt file size: free pages
    /// included, journals not), cheap enough to ask before writes.
    func makeQuotaSizeProbe() throws -> any QuotaSizeProbe

    /// Every alarm raised and not yet disarmed.
    func loadAlarms() throws -> [AlarmMember]
    /// Records (`active`) or clears an alarm durably.
    func setAlarm(_ alarm: AlarmMember, active: Bool) throws

    /// Visits every kept change with main revision ≤ `revision`, in revision order, as of one
    /// consistent moment.
    func forEachChange(through revision: Int64, _ body: (StoredChange) throws -> Void) throws
    /// The value of a store counter (`MetadataKey`) as last made durable.
    func persistedCounter(_ name: String) throws -> Int64?

    /// Rewrites the database compactly and returns freed space to the file system.
    /// Callers make sure no write commits meanwhile.
    func defragment() throws

    /// Writes a consistent copy of the whole database to a new file at `path`; returns the
    /// newest revision the copy holds.
    func copyDatabase(to path: String) throws -> Int64
    /// Where copies for snapshots go: beside the database, so space is on the same disk.
    var scratchDirectory: String { get }
}

/// Reads the size the quota counts; see `StorageMaintenance.makeQuotaSizeProbe`.
public protocol QuotaSizeProbe: Sendable {
    func size() throws -> Int64
}

/// The storage engine does not implement `StorageMaintenance`.
public struct MaintenanceUnsupportedError: Error, Sendable, CustomStringConvertible {
    public var operation: String
    public var description: String { "ketch: the storage engine does not support \(operation)" }
}
