import ArgumentParser

/// `ketch`: a Kubernetes control-plane storage emulator in one executable.
@main
struct KetchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ketch",
        abstract: "A Kubernetes control-plane storage emulator: etcd, kubeadm init and a small kube-apiserver on one laptop.",
        subcommands: [EtcdCommand.self, InitCommand.self, ResetCommand.self, CertsCommand.self]
    )
}
