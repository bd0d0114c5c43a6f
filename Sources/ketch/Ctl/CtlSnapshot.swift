/// etcdctl's snapshot save/status/restore.
enum CtlSnapshot {
    /// The commands this file serves, by command path (e.g. "lease grant").
    static let commands: [String: CtlCommand.Handler] = [:]
}
