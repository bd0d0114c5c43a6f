import ArgumentParser
import KetchCtl

/// `ketch ctl`: etcdctl 3.5. Listed here for `ketch --help` and completion only:
/// `KetchCommand.main` hands `ketch ctl …` straight to ``CtlCommand``, whose flags follow
/// cobra's rules, not ArgumentParser's.
struct CtlSubcommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ctl",
        abstract: "An etcdctl 3.5-compatible client (also: run ketch as `etcdctl`).",
        discussion: CtlCommand.usage
    )

    @Argument(parsing: .captureForPassthrough, help: "etcdctl command and flags (see `ketch ctl --help`).")
    var arguments: [String] = []

    func run() async throws {
        let code = await CtlCommand.execute(arguments, localStore: KetchLocalStore())
        if code != 0 { throw ExitCode(code) }
    }
}
