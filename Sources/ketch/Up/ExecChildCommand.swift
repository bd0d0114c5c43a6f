import ArgumentParser
import KetchUp

/// `ketch up _exec-child --parent-pid PID -- SUBCOMMAND FLAGS…`: what every child of `ketch up`
/// runs first (see ``ChildExec``): parent-death signal, default signals, then exec of
/// `ketch SUBCOMMAND FLAGS…`.
struct ExecChildCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: ComponentLaunch.execChildCommandName,
        abstract: "Internal: start a child of `ketch up` (parent-death signal, default signals, then exec).",
        shouldDisplay: false
    )

    @Option(help: "The pid of the `ketch up` that started this child.")
    var parentPid: Int32

    @Argument(parsing: .postTerminator, help: "The ketch subcommand and its flags.")
    var command: [String] = []

    func run() throws {
        guard !command.isEmpty else { throw ValidationError("no command after --") }
        do {
            try ChildExec.exec(CurrentExecutable.path, arguments: command, parentPID: parentPid)
        } catch is ChildExec.ParentExited {
            throw ExitCode(1)
        }
    }
}
