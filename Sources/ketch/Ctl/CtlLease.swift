/// etcdctl's lease grant/revoke/timetolive/list/keep-alive.
enum CtlLease {
    /// The commands this file serves, by command path (e.g. "lease grant").
    static let commands: [String: CtlCommand.Handler] = [:]
}
