/// How a supervised component's process is started: what runs, and how its log introduces it.
public struct ComponentLaunch: Sendable {
    /// `ketch up`'s hidden subcommand that readies a child and execs the component.
    public static let execChildCommandName = "_exec-child"

    /// The component's name, in messages and as its log file's name (`<name>.log`).
    public var name: String
    /// The program to run.
    public var executable: String
    /// Its arguments.
    public var arguments: [String]
    /// The command line the log's first start line shows (the component's own, without wrappers).
    public var shownCommand: String
    /// Where the command came from (a manifest path), for the log.
    public var origin: String

    /// A launch of `executable` with `arguments`; `shownCommand` defaults to that command line.
    public init(name: String, executable: String, arguments: [String], shownCommand: String? = nil, origin: String) {
        self.name = name
        self.executable = executable
        self.arguments = arguments
        self.shownCommand = shownCommand ?? ([executable] + arguments).joined(separator: " ")
        self.origin = origin
    }
}
