/// etcdctl's user, role and auth.
enum CtlAuth {
    /// The commands this file serves, by command path (e.g. "lease grant").
    static let commands: [String: CtlCommand.Handler] = [:]
}
