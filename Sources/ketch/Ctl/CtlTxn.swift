/// etcdctl's txn, compaction and watch -i / watch -- COMMAND.
enum CtlTxn {
    /// The commands this file serves, by command path (e.g. "lease grant").
    static let commands: [String: CtlCommand.Handler] = [:]
}
