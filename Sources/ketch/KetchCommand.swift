import ArgumentParser
import Foundation
import KetchCtl

/// `ketch`: a Kubernetes control-plane storage emulator in one executable.
@main
struct KetchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ketch",
        abstract: "A Kubernetes control-plane storage emulator: etcd, kubeadm init and a small kube-apiserver on one laptop.",
        subcommands: [EtcdCommand.self, APIServerCommand.self, ControllerManagerCommand.self, SchedulerCommand.self, InitCommand.self, UpCommand.self, NodeCommand.self, ResetCommand.self, CertsCommand.self, CtlSubcommand.self, CompletionCommand.self]
    )

    /// Run as `etcdctl` (a symlink or copy by that name), ketch is `ketch ctl`; `ketch ctl …` goes
    /// straight to the etcdctl-style parser too (its flags follow cobra's rules, not ArgumentParser's).
    static func main() async {
        let arguments = CommandLine.arguments
        ConcurrencyPool.adopt(arguments: arguments, environment: ProcessInfo.processInfo.environment)
        let name = URL(fileURLWithPath: arguments.first ?? "ketch").lastPathComponent
        if name == "etcdctl" {
            Foundation.exit(await CtlCommand.execute(Array(arguments.dropFirst()), localStore: KetchLocalStore()))
        }
        if arguments.count > 1, arguments[1] == "ctl" {
            Foundation.exit(await CtlCommand.execute(Array(arguments.dropFirst(2)), localStore: KetchLocalStore()))
        }
        if arguments.count > 1, ["controller-manager", "scheduler"].contains(arguments[1]) {
            // pflag booleans may stand alone; ArgumentParser wants `--flag=value`.
            let normalized = GoFlag.normalizeBooleans(Array(arguments.dropFirst()), booleans: [
                "--leader-elect", "--allocate-node-cidrs", "--use-service-account-credentials"])
            await main(normalized)
            return
        }
        await main(nil)
    }
}
