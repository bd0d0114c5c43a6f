import EtcdAPI
import KetchCtl
import KetchStore

/// `ketch ctl`'s local-file commands (snapshot status and restore, offline defrag) on Ketch's
/// own storage format: the one place the client links the store.
struct KetchLocalStore: CtlLocalStore {
    func snapshotHasChecksum(size: Int64) -> Bool { SnapshotFile.hasChecksum(size: size) }

    func snapshotStatus(path: String) throws -> CtlSnapshotStatus {
        try mapped { CtlSnapshotStatus(try SnapshotFile.status(path: path)) }
    }

    func dataDirectoryNotEmptyMessage(_ dataDirectory: String) -> String {
        SnapshotFileError.dataDirectoryNotEmpty(dataDirectory).description
    }

    func memberIDs(name: String, peerURLs: [String], clusterToken: String) -> (member: UInt64, cluster: UInt64) {
        let identity = MemberIdentity(name: name, peerURLs: peerURLs, clientURLs: [], clusterToken: clusterToken)
        return (identity.memberID, identity.clusterID)
    }

    func restoreSnapshot(path: String, to dataDirectory: String, skipHashCheck: Bool,
                         memberID: UInt64, clusterID: UInt64) throws -> CtlSnapshotStatus {
        try mapped {
            CtlSnapshotStatus(try SnapshotFile.restore(
                path: path, to: dataDirectory,
                options: SnapshotRestoreOptions(skipHashCheck: skipHashCheck, memberID: memberID, clusterID: clusterID)))
        }
    }

    func openForDefragmentation(dataDirectory: String) throws -> any CtlDefragmentable {
        do {
            return try SQLiteStorage(dataDirectory: dataDirectory)
        } catch let error as StoreError {
            throw CtlLocalStoreError("\(error)")
        }
    }

    /// Snapshot-file errors become the messages etcdutl prints; others pass through.
    private func mapped<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as SnapshotFileError {
            throw CtlLocalStoreError(error.description)
        }
    }
}

extension SQLiteStorage: CtlDefragmentable {}

extension CtlSnapshotStatus {
    init(_ status: SnapshotFileStatus) {
        self.init(hash: status.hash, revision: status.revision, compactRevision: status.compactRevision,
                  totalKeys: status.totalKeys, totalSize: status.totalSize)
    }
}
