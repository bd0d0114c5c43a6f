import Foundation
import KetchAPIServer
import KetchBootstrap
import KetchControllers
import KubeClient
import KubeCore
import Logging

/// Starts the simulated kubelet beside `ketch apiserver`, as a client of that apiserver over
/// HTTPS with the node's `kubelet.conf` (user `system:node:<node>`, group `system:nodes`),
/// as a kubeadm node's kubelet talks to its apiserver.
struct SimulatedKubeletLauncher: Sendable {
    /// The kubeconfig (the state directory's `kubernetes/kubelet.conf`).
    let kubeconfig: String
    /// The control-plane node, whose ordinary pods it runs too.
    let nodeName: String
    let logger: Logger

    /// The launcher for the apiserver started with `options`: the node name from `--node-name`
    /// or kubelet.conf, as the apiserver's own node emulation finds it. Nil when there is no
    /// kubelet.conf beside the serving certificate's `pki` directory.
    init?(options: APIServerOptions, logger: Logger) {
        guard let kubernetes = options.kubernetesDirectory else { return nil }
        let conf = kubernetes.appendingPathComponent("kubelet.conf")
        guard FileManager.default.fileExists(atPath: conf.path),
              let node = options.nodeName ?? KubeletEmulator.nodeName(stateKubeconfig: conf) else { return nil }
        self.kubeconfig = conf.path
        self.nodeName = node
        self.logger = logger
    }

    /// Waits until the apiserver answers, then runs the kubelet until cancelled.
    func run() async {
        let api: HTTPKubeAPI
        do {
            api = try HTTPKubeAPI(config: try KubeConfig.load(path: kubeconfig),
                                  userAgent: "kubelet/\(KubernetesRelease.default) (linux/amd64) kubernetes/ketch")
        } catch {
            logger.error("simulated kubelet not started", metadata: ["kubeconfig": .string(kubeconfig), "error": .string("\(error)")])
            return
        }
        guard await waitForServer(api) else {
            try? await api.shutdown()
            return
        }
        var options = ControllerOptions()
        options.component = "kubelet"
        options.host = nodeName
        let context = ControllerContext(
            api: api, informers: InformerFactory(api: api, logger: logger),
            events: EventRecorder(api: api, component: options.component, host: nodeName, logger: logger),
            logger: logger, options: options)
        await SimulatedKubelet(context: context, controlPlaneNode: nodeName).run()
        try? await api.shutdown()
    }

    /// Polls with back-off (100 ms doubling to 5 s) until the apiserver answers a request for
    /// the node as this kubelet; false when cancelled first.
    private func waitForServer(_ api: HTTPKubeAPI) async -> Bool {
        var delay = Duration.milliseconds(100)
        while !Task.isCancelled {
            do {
                _ = try await api.getIfPresent(BuiltinResources.nodes, namespace: nil, name: nodeName)
                return true
            } catch let refused as KubeStatus {
                // It serves; a refusal (no Node authorization) shows in the informers' retries.
                logger.warning("apiserver refused the simulated kubelet", metadata: ["error": .string("\(refused)")])
                return true
            } catch {
                logger.debug("apiserver not answering yet", metadata: ["error": .string("\(error)")])
            }
            do { try await Task.sleep(for: delay) } catch { return false }
            delay = min(delay * 2, .seconds(5))
        }
        return false
    }
}
