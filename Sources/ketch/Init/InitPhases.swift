import ArgumentParser
import Foundation
import KetchBootstrap
import KetchPKI
import KetchStore
import Logging

/// `ketch init`'s phases, in kubeadm's order, each runnable alone (`ketch init phase NAME [SUB]`).
enum InitPhase: String, CaseIterable, ExpressibleByArgument {
    case certs, kubeconfig, etcd
    case controlPlane = "control-plane"
    case registry

    /// The sub-phases `ketch init phase NAME SUB` accepts, `all` first.
    func subPhases(certificates: [String]) -> [String] {
        switch self {
        case .certs: return certificates
        case .kubeconfig: return ["all"] + KubeconfigFile.allCases.map(\.rawValue)
        case .etcd: return ["local"]
        case .controlPlane: return ["all", "apiserver", "controller-manager", "scheduler"]
        case .registry: return ["all"]
        }
    }
}

/// Runs init phases against one state directory, printing kubeadm-style progress lines.
struct InitRunner {
    let options: InitOptions
    let layout: StateLayout
    let controlPlane: ResolvedControlPlane
    let parameters: PKIParameters
    let builder: PKIBuilder
    /// New keys, generated on both cores in the background while other work goes on.
    let keys: KeyPool

    init(options: InitOptions, phases: [(InitPhase, String)]) throws {
        self.options = options
        let configuration = try options.controlPlane()
        layout = configuration.layout
        controlPlane = try configuration.resolved()
        parameters = try options.pkiParameters()
        builder = try PKIBuilder(
            certificateDirectory: layout.pki.directory, parameters: parameters, algorithm: try options.algorithm)
        var needed = 0
        let layout = configuration.layout
        for (phase, sub) in phases {
            switch phase {
            case .certs: needed += try builder.keysNeeded(phase: sub)
            case .kubeconfig: needed += Self.kubeconfigFiles(sub).filter { !FileManager.default.fileExists(atPath: layout.kubeconfig($0)) }.count
            default: break
            }
        }
        keys = KeyPool(algorithm: try options.algorithm, count: needed)
    }

    static func kubeconfigFiles(_ sub: String) -> [KubeconfigFile] {
        sub == "all" ? KubeconfigFile.allCases : KubeconfigFile.allCases.filter { $0.rawValue == sub }
    }

    func run(_ phase: InitPhase, _ sub: String) async throws {
        let known = phase.subPhases(certificates: builder.phaseNames)
        guard known.contains(sub) else {
            throw ValidationError("unknown \(phase.rawValue) phase \"\(sub)\"; use one of: \(known.joined(separator: ", "))")
        }
        switch phase {
        case .certs: try certs(sub)
        case .kubeconfig: try kubeconfig(sub)
        case .etcd: try manifests([.etcd], folderLine: "[etcd] Creating static Pod manifest for local etcd in")
        case .controlPlane:
            let all: [ControlPlaneComponent] = [.kubeAPIServer, .kubeControllerManager, .kubeScheduler]
            let chosen = sub == "all" ? all : all.filter { $0.rawValue == "kube-" + sub }
            print("[control-plane] Using manifest folder \"\(layout.manifestsDirectory)\"")
            try manifests(chosen, folderLine: nil)
        case .registry: try await registry()
        }
    }

    private func certs(_ sub: String) throws {
        try builder.run(phase: sub, keys: keys) { print($0.description) }
    }

    private func kubeconfig(_ sub: String) throws {
        print("[kubeconfig] Using kubeconfig folder \"\(layout.kubernetesDirectory)\"")
        let directory = PKIDirectory(layout.pki.directory)
        guard let caProfile = builder.profiles.certificate(named: "ca") else { throw ValidationError("no ca profile") }
        let ca = try directory.readAuthority(caProfile)
        let caPEM = try String(decoding: ca.certificate.pemEncoded(), as: UTF8.self)
        let writer = KubeconfigWriter(layout: layout)
        let server = try options.controlPlane().apiServerURL
        for file in Self.kubeconfigFiles(sub) {
            let outcome = try writer.ensure(file, nodeName: options.resolvedNodeName, server: server, caPEM: caPEM) {
                // The client identity and validity come from the profiles in pki/, like every other certificate.
                guard let profile = builder.profiles.kubeconfigClients.first(where: { $0.fileName == file.fileName }) else {
                    throw ValidationError("pki/ has no kubeconfig client profile for \(file.fileName)")
                }
                let template = try profile.template(with: parameters, now: Date())
                let key = try keys.take()
                let certificate = try ca.issue(template, for: key)
                return ClientCredentials(
                    certificatePEM: String(decoding: try certificate.pemEncoded(), as: UTF8.self),
                    keyPEM: String(decoding: try key.pemEncoded(), as: UTF8.self))
            }
            switch outcome {
            case .written: print("[kubeconfig] Writing \"\(file.fileName)\" kubeconfig file")
            case .kept: print("[kubeconfig] Using existing kubeconfig file: \"\(layout.kubeconfig(file))\"")
            }
        }
    }

    private func manifests(_ components: [ControlPlaneComponent], folderLine: String?) throws {
        let writer = StaticPodManifestWriter(controlPlane: controlPlane)
        for component in components {
            let path = try writer.write(component)
            if let folderLine {
                print("\(folderLine) \"\((path as NSString).deletingLastPathComponent)\"")
            } else {
                print("[control-plane] Creating static Pod manifest for \"\(component.rawValue)\"")
            }
        }
    }

    private func registry() async throws {
        let directory = PKIDirectory(layout.pki.directory)
        let seed = RegistrySeed(
            controlPlane: controlPlane,
            certificates: SeedCertificates(
                caPEM: String(decoding: try directory.readCertificate("ca.crt").pemEncoded(), as: UTF8.self),
                frontProxyCAPEM: String(decoding: try directory.readCertificate("front-proxy-ca.crt").pemEncoded(), as: UTF8.self)),
            node: NodeFacts.probe(storagePath: layout.root))
        print("[registry] Preloading the keys of a fresh cluster into \"\(layout.etcdDataDirectory)\"")
        let store: MVCCStore
        do {
            store = try MVCCStore(dataDirectory: layout.etcdDataDirectory, logger: Logger(label: "mvcc"))
        } catch let error as StoreError {
            throw ValidationError("\(error). If `ketch etcd` serves this state dir, stop it first (or run the phase before starting it).")
        }
        defer { store.close() }
        let written = try await seed.preload(into: StoreSeedSink(store: store))
        print("[registry] Wrote \(written) keys under /registry (revision \(store.currentRevision))")
    }
}
