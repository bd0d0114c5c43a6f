import Foundation
import HTTPTypes
import KubeCore
import Testing
@testable import KetchAPIServer

@Suite struct ExecTests {
    @Test func parsesExecQuery() throws {
        let request = try ExecRequest(query:
            "command=sh&command=-c&command=echo+%22a+b%22%3B+ls+%2Fetc%2Fkubernetes&container=etcd&stdin=true&stdout=true&stderr=true&tty=false")
        #expect(request.command == ["sh", "-c", "echo \"a b\"; ls /etc/kubernetes"])
        #expect(request.container == "etcd")
        #expect(request.stdin && request.stdout && request.stderr && !request.tty)

        let tty = try ExecRequest(query: "command=sh&stdin=1&stdout=1&tty=true&stderr=true")
        #expect(tty.tty && !tty.stderr) // a terminal merges stderr

        #expect(throws: KubeStatus.self) { try ExecRequest(query: "stdout=true") }
        #expect(throws: KubeStatus.self) { try ExecRequest(query: "command=ls") }
    }

    @Test func negotiatesSubprotocols() {
        #expect(ExecSession.negotiateProtocol(requested: ["v5.channel.k8s.io", "v4.channel.k8s.io"]) == "v5.channel.k8s.io")
        #expect(ExecSession.negotiateProtocol(requested: ["v4.channel.k8s.io"]) == "v4.channel.k8s.io")
        #expect(ExecSession.negotiateProtocol(requested: ["base64.channel.k8s.io", "v4.channel.k8s.io"]) == "v4.channel.k8s.io")
        #expect(ExecSession.negotiateProtocol(requested: ["channel.k8s.io"]) == nil)
        var headers = HTTPFields()
        headers[.secWebSocketProtocol] = "v5.channel.k8s.io, v4.channel.k8s.io"
        #expect(ExecSession.requestedProtocols(headers) == ["v5.channel.k8s.io", "v4.channel.k8s.io"])
    }

    @Test func rewritesKubeadmPaths() {
        let env = ExecEnvironment(kubernetesDirectory: URL(fileURLWithPath: "/home/u/.ketch/kubernetes"),
                                  etcdDataDirectory: URL(fileURLWithPath: "/home/u/.ketch/etcd"),
                                  binDirectory: URL(fileURLWithPath: "/home/u/.ketch/run/bin"),
                                  etcdEndpoints: "https://127.0.0.1:2379", ketchExecutable: nil, kubernetesServiceIP: "10.96.0.1")
        #expect(env.rewrite("--cacert=/etc/kubernetes/pki/etcd/ca.crt") == "--cacert=/home/u/.ketch/kubernetes/pki/etcd/ca.crt")
        #expect(env.rewrite("ETCDCTL_API=3 etcdctl --cert /etc/kubernetes/pki/etcd/server.crt snapshot save /var/lib/etcd/snap.db")
                == "ETCDCTL_API=3 etcdctl --cert /home/u/.ketch/kubernetes/pki/etcd/server.crt snapshot save /home/u/.ketch/etcd/snap.db")
        #expect(env.rewrite("/var/lib/etcd") == "/home/u/.ketch/etcd")
        #expect(env.rewrite("/var/lib/etcd2/x") == "/var/lib/etcd2/x")
        #expect(env.rewrite("/etc/kubernetes-backup") == "/etc/kubernetes-backup")
        #expect(env.rewrite("ls /etc/kubernetes") == "ls /home/u/.ketch/kubernetes")

        let pod: JSONValue = .object([
            "metadata": .object(["name": .string("etcd-vm")]),
            "spec": .object(["nodeName": .string("vm"), "hostNetwork": .bool(true)]),
        ])
        let vars = env.environment(pod: pod, tty: false)
        #expect(vars["PATH"] == "/home/u/.ketch/run/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin")
        #expect(vars["ETCDCTL_ENDPOINTS"] == "https://127.0.0.1:2379")
        #expect(vars["HOSTNAME"] == "vm")
        #expect(vars["KUBERNETES_SERVICE_HOST"] == "10.96.0.1")
        #expect(ExecEnvironment.firstServiceIP("10.96.0.0/12") == "10.96.0.1")
        #expect(env.resolveExecutable("sh") != nil)
        #expect(env.resolveExecutable("definitely-not-a-command-ketch") == nil)
    }

    @Test func readsEnvironmentFromManifests() throws {
        let state = try KubeletFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: state) }
        let manifests = state.appendingPathComponent("kubernetes/manifests")
        try FileManager.default.createDirectory(at: manifests, withIntermediateDirectories: true)
        try KubeletFixtures.manifest(dataDir: state.appendingPathComponent("etcd").path)
            .write(to: manifests.appendingPathComponent("etcd.yaml"), atomically: true, encoding: .utf8)
        let fakeKetch = URL(fileURLWithPath: "/bin/true")
        let env = ExecEnvironment(manifestDirectory: manifests, ketchExecutable: fakeKetch)
        #expect(env.kubernetesDirectory.path == state.appendingPathComponent("kubernetes").path)
        #expect(env.etcdDataDirectory?.path == state.appendingPathComponent("etcd").path)
        #expect(env.etcdEndpoints == "https://127.0.0.1:2379")
        try env.prepare()
        let link = env.binDirectory.appendingPathComponent("etcdctl").path
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: link) == "/bin/true")
        #expect(env.resolveExecutable("etcdctl")?.path == link)
    }

    @Test func processRunnerStreamsAndReportsExit() async throws {
        let process = try ExecProcess(executable: URL(fileURLWithPath: "/bin/sh"),
                                      arguments: ["-c", "echo out; echo err >&2; exit 3"],
                                      environment: ["PATH": "/usr/bin:/bin"], directory: URL(fileURLWithPath: "/"),
                                      stdin: false, stdout: true, stderr: true, tty: false)
        var stdout: [UInt8] = [], stderr: [UInt8] = []
        for await chunk in process.output {
            switch chunk {
            case .stdout(let b): stdout += b
            case .stderr(let b): stderr += b
            }
        }
        #expect(await process.waitForExit() == 3)
        #expect(String(decoding: stdout, as: UTF8.self) == "out\n")
        #expect(String(decoding: stderr, as: UTF8.self) == "err\n")
    }

    @Test func processRunnerFeedsStdin() async throws {
        let process = try ExecProcess(executable: URL(fileURLWithPath: "/bin/cat"), arguments: [],
                                      environment: [:], directory: URL(fileURLWithPath: "/"),
                                      stdin: true, stdout: true, stderr: true, tty: false)
        process.writeStdin(Array("hello ".utf8))
        process.writeStdin(Array("world".utf8))
        process.closeStdin()
        var stdout: [UInt8] = []
        for await chunk in process.output { if case .stdout(let b) = chunk { stdout += b } }
        #expect(await process.waitForExit() == 0)
        #expect(String(decoding: stdout, as: UTF8.self) == "hello world")
    }

    @Test func processRunnerWithTerminal() async throws {
        let process = try ExecProcess(executable: URL(fileURLWithPath: "/bin/sh"), arguments: ["-c", "test -t 0 && stty size"],
                                      environment: ["PATH": "/usr/bin:/bin"], directory: URL(fileURLWithPath: "/"),
                                      stdin: true, stdout: true, stderr: false, tty: true, terminalSize: (100, 30))
        var stdout: [UInt8] = []
        let collect = Task { [stdout] in
            var out = stdout
            for await chunk in process.output { if case .stdout(let b) = chunk { out += b } }
            return out
        }
        let code = await process.waitForExit()
        stdout = await collect.value
        #expect(code == 0)
        #expect(String(decoding: stdout, as: UTF8.self).contains("30 100"))
    }

    @Test func statusBodies() throws {
        #expect(String(decoding: try ExecStatus.success.encoded(), as: UTF8.self) == #"{"metadata":{},"status":"Success"}"#)
        let failure = ExecStatus.exited(3)
        #expect(failure["reason"] == .string("NonZeroExitCode"))
        #expect(failure["message"] == .string("command terminated with non-zero exit code: exit status 3"))
        #expect(failure["details"]?["causes"] == .array([.object(["reason": .string("ExitCode"), "message": .string("3")])]))

        let env = ExecEnvironment(kubernetesDirectory: URL(fileURLWithPath: "/tmp"), etcdDataDirectory: nil,
                                  binDirectory: URL(fileURLWithPath: "/tmp/ketch-none"), etcdEndpoints: nil, ketchExecutable: nil)
        let session = ExecSession(request: ExecRequest(command: ["no-such-command-ketch"]), pod: .object([:]),
                                  environment: env, protocolName: ExecSession.v5, logger: .init(label: "test"))
        guard case .failed(let status) = session.launch() else {
            Issue.record("a missing command must not start")
            return
        }
        #expect(status["status"] == .string("Failure"))
        #expect(status["message"]?.string?.contains(#"exec: "no-such-command-ketch": executable file not found in $PATH"#) == true)
    }

    @Test func validatesTarget() throws {
        let mirror = MirrorPod.build(from: try KubeletFixtures.file(), nodeName: "vm", nodeUID: "n", nodeAddress: "10.0.0.5")
        try ExecSession.validate(request: ExecRequest(command: ["ls"]), pod: mirror)
        #expect(throws: KubeStatus.badRequest("container nope is not valid for pod etcd-vm")) {
            try ExecSession.validate(request: ExecRequest(command: ["ls"], container: "nope"), pod: mirror)
        }
        let plain: JSONValue = .object(["metadata": .object(["name": .string("web")]),
                                        "spec": .object(["nodeName": .string("vm"),
                                                         "containers": .array([.object(["name": .string("nginx")])])])])
        #expect(throws: KubeStatus.self) { try ExecSession.validate(request: ExecRequest(command: ["ls"]), pod: plain) }
    }
}
