import Foundation
import Hummingbird
import HummingbirdWebSocket
import KubeCore
import Logging
import NIOCore
import Testing
@testable import KetchAPIServer

/// `kubectl exec` end to end against a plain-HTTP router that mounts `ExecSession` the way the
/// apiserver does. Runs only where kubectl is installed.
@Suite(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/kubectl")))
struct ExecWebSocketTests {
    static func serve(_ body: @escaping @Sendable (Int) async throws -> Void) async throws {
        let pod = MirrorPod.build(from: try KubeletFixtures.file(), nodeName: "vm", nodeUID: "n", nodeAddress: "127.0.0.1")
        let podBody = try pod.encoded()
        let env = ExecEnvironment(kubernetesDirectory: URL(fileURLWithPath: "/tmp/ketch-exec-k8s"), etcdDataDirectory: nil,
                                  binDirectory: URL(fileURLWithPath: "/tmp/ketch-exec-bin"), etcdEndpoints: nil,
                                  ketchExecutable: nil)
        let router = Router(context: KubeRequestContext.self)
        // Just enough discovery for kubectl to resolve `pods`.
        @Sendable func json(_ text: String) -> Response {
            Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: text)))
        }
        router.get("/api") { _, _ in json(#"{"kind":"APIVersions","versions":["v1"],"serverAddressByClientCIDRs":[]}"#) }
        router.get("/apis") { _, _ in json(#"{"kind":"APIGroupList","apiVersion":"v1","groups":[]}"#) }
        router.get("/api/v1") { _, _ in
            json(#"{"kind":"APIResourceList","groupVersion":"v1","resources":[{"name":"pods","singularName":"pod","namespaced":true,"kind":"Pod","verbs":["get","list"],"shortNames":["po"]},{"name":"pods/exec","singularName":"","namespaced":true,"kind":"PodExecOptions","verbs":["create","get"]}]}"#)
        }
        router.get("/api/v1/namespaces/:ns/pods/:name") { _, _ in
            Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(data: podBody)))
        }
        router.ws("/api/v1/namespaces/:ns/pods/:name/exec", shouldUpgrade: { request, _ in
            try ExecSession.validate(request: ExecRequest(query: request.uri.query ?? ""), pod: pod)
            return try ExecSession.upgrade(for: request)
        }, onUpgrade: { inbound, outbound, context in
            let http = context.request
            let session = ExecSession(
                request: try ExecRequest(query: http.uri.query ?? ""), pod: pod, environment: env,
                protocolName: ExecSession.negotiateProtocol(requested: ExecSession.requestedProtocols(http.headers)) ?? ExecSession.v4,
                logger: context.logger)
            try await session.run(inbound: inbound, outbound: outbound)
        })
        let port = AsyncStream<Int>.makeStream()
        let app = Application(router: router, server: .http1WebSocketUpgrade(webSocketRouter: router),
                              configuration: .init(address: .hostname("127.0.0.1", port: 0)),
                              onServerRunning: { channel in port.continuation.yield(channel.localAddress?.port ?? 0) },
                              logger: Logger(label: "exec-test"))
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await app.runService() }
            var ports = port.stream.makeAsyncIterator()
            let p = await ports.next() ?? 0
            try await body(p)
            group.cancelAll()
        }
    }

    static func kubectl(_ port: Int, _ args: [String], stdin: String? = nil) throws -> (out: String, err: String, code: Int32) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/kubectl")
        process.arguments = ["--server=http://127.0.0.1:\(port)", "--request-timeout=20s"] + args
        process.environment = ["KUBECONFIG": "/dev/null", "HOME": "/tmp", "PATH": "/usr/bin:/bin"]
        let out = Pipe(), err = Pipe(), input = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = stdin == nil ? FileHandle.nullDevice : input
        try process.run()
        if let stdin {
            input.fileHandleForWriting.write(Data(stdin.utf8))
            try input.fileHandleForWriting.close()
        }
        let o = out.fileHandleForReading.readDataToEndOfFile(), e = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (String(decoding: o, as: UTF8.self), String(decoding: e, as: UTF8.self), process.terminationStatus)
    }

    @Test func kubectlExec() async throws {
        try await Self.serve { port in
            let failing = try Self.kubectl(port, ["exec", "-n", "kube-system", "etcd-vm", "--", "sh", "-c", "echo out; echo err >&2; exit 3"])
            #expect(failing.out == "out\n")
            #expect(failing.err.hasPrefix("err\n"))
            #expect(failing.err.contains("command terminated with exit code 3"))
            #expect(failing.code == 3)

            let piped = try Self.kubectl(port, ["exec", "-i", "-n", "kube-system", "etcd-vm", "--", "cat"], stdin: "hello\nworld\n")
            #expect(piped.out == "hello\nworld\n")
            #expect(piped.code == 0)

            let missing = try Self.kubectl(port, ["exec", "-n", "kube-system", "etcd-vm", "--", "no-such-command-ketch"])
            #expect(missing.err.contains("executable file not found in $PATH"))
            #expect(missing.code != 0)
        }
    }
}
