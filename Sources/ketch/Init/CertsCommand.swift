import ArgumentParser
import Foundation
import KetchBootstrap
import KetchPKI

/// `ketch certs`: kubeadm's certificate commands over the state directory.
struct CertsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "certs",
        abstract: "Commands related to handling kubernetes certificates",
        subcommands: [CheckExpiration.self, Renew.self])

    struct CheckExpiration: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "check-expiration", abstract: "Check certificates expiration for a Kubernetes cluster")

        @OptionGroup var options: InitOptions

        func run() throws {
            let layout = options.layout
            var embedded: [String: Certificate] = [:]
            for file in KubeconfigFile.allCases where FileManager.default.fileExists(atPath: layout.kubeconfig(file)) {
                let config = try Kubeconfig(yaml: String(contentsOfFile: layout.kubeconfig(file), encoding: .utf8))
                if let data = config.users?.first?.user.clientCertificateData, let pem = Data(base64Encoded: data) {
                    embedded[file.fileName] = try Certificate(pem: pem, source: layout.kubeconfig(file))
                }
            }
            let report = try ExpirationReport(certificateDirectory: layout.pki.directory, kubeconfigCertificates: embedded)
            print(report.rendered(), terminator: "")
        }
    }

    struct Renew: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "renew", abstract: "Renew certificates for a Kubernetes cluster (all, or one by name)")

        @Argument(help: "all, or a certificate name (apiserver, etcd-server, …)")
        var name: String

        @OptionGroup var options: InitOptions

        func run() throws {
            let renewer = try CertificateRenewer(certificateDirectory: options.layout.pki.directory)
            if name == "all" {
                try renewer.renewAll { print($0.description) }
            } else {
                guard renewer.renewableNames.contains(name) else {
                    throw ValidationError("unknown certificate \"\(name)\"; use all or one of: \(renewer.renewableNames.joined(separator: ", "))")
                }
                print(try renewer.renew(name).description)
            }
            print("\nDone renewing certificates. You must restart the control plane components so that they can use the new certificates.")
        }
    }
}
