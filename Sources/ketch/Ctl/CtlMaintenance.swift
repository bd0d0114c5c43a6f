/// etcdctl's member add/remove/update, endpoint hashkv, alarm, defrag, check perf.
enum CtlMaintenance {
    /// The commands this file serves, by command path (e.g. "lease grant").
    static let commands: [String: CtlCommand.Handler] = [:]
}
