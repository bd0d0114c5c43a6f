import Foundation
import Testing
@testable import KetchUp

/// Static Pod manifests turned into `ketch` command lines and readiness checks.
@Suite struct StaticPodCommandTests {
    private func manifest(_ command: [String], in directory: String, name: String = "etcd") throws -> String {
        let path = directory + "/\(name).yaml"
        let lines = command.map { "    - \($0)" }.joined(separator: "\n")
        try """
            apiVersion: v1
            kind: Pod
            metadata:
              name: \(name)
              namespace: kube-system
            spec:
              containers:
              - name: \(name)
                image: registry.k8s.io/\(name):v1
                command:
            \(lines)
            """.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test func etcdRunsAsKetchEtcd() throws {
        let directory = try makeScratchDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = try manifest([
            "etcd", "--name=node", "--listen-client-urls=https://127.0.0.1:2379,https://10.0.0.1:2379",
            "--listen-metrics-urls=http://127.0.0.1:2381", "--data-dir", "/var/lib/etcd", "-name=last",
        ], in: directory)
        let command = try StaticPodCommand(manifestPath: path)
        #expect(command.component == "etcd" && command.subcommand == "etcd" && command.manifestPath == path)
        #expect(command.ketchArguments.first == "etcd" && command.ketchArguments.count == 7)
        #expect(command.value(of: "name") == "last")
        #expect(command.value(of: "data-dir") == "/var/lib/etcd")
        #expect(command.value(of: "missing") == nil)
        #expect(command.urls(of: "listen-client-urls").map(\.absoluteString) == ["https://127.0.0.1:2379", "https://10.0.0.1:2379"])
        #expect(Readiness.etcd(command).description == "http://127.0.0.1:2381/readyz")

        let launch = command.launch(executable: "/usr/bin/ketch", parentPID: 42)
        #expect(launch.name == "etcd" && launch.executable == "/usr/bin/ketch" && launch.origin == path)
        #expect(Array(launch.arguments.prefix(6)) == ["up", "_exec-child", "--parent-pid", "42", "--", "etcd"])
        #expect(launch.shownCommand == "/usr/bin/ketch etcd --name=node " + command.flags.dropFirst().joined(separator: " "))
    }

    @Test func etcdWithoutAPlainMetricsURLIsDialled() throws {
        let directory = try makeScratchDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let tls = try StaticPodCommand(manifestPath: try manifest(
            ["etcd", "--listen-client-urls=https://0.0.0.0:12379", "--listen-metrics-urls=https://127.0.0.1:2381"], in: directory))
        #expect(Readiness.etcd(tls).description == "https://127.0.0.1:12379 (TCP connect)")
        let bare = try StaticPodCommand(manifestPath: try manifest(["etcd"], in: directory))
        #expect(Readiness.etcd(bare).description == "https://127.0.0.1:2379 (TCP connect)")
    }

    @Test func kubeAPIServerRunsAsKetchAPIServer() throws {
        let directory = try makeScratchDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = try manifest([
            "/usr/local/bin/kube-apiserver", "--advertise-address=10.0.0.5", "--bind-address=0.0.0.0", "--secure-port=6444",
        ], in: directory, name: "kube-apiserver")
        let command = try StaticPodCommand(manifestPath: path)
        #expect(command.component == "kube-apiserver" && command.subcommand == "apiserver")
        #expect(command.ketchArguments == ["apiserver", "--advertise-address=10.0.0.5", "--bind-address=0.0.0.0", "--secure-port=6444"])
        #expect(Readiness.apiserver(command).description == "https://10.0.0.5:6444 (TCP connect)")
        let bound = try StaticPodCommand(manifestPath: try manifest(
            ["kube-apiserver", "--bind-address=::1"], in: directory, name: "kube-apiserver"))
        #expect(Readiness.apiserver(bound).description == "https://[::1]:6443 (TCP connect)")
    }

    @Test func componentsKetchHasNoStandInFor() throws {
        let directory = try makeScratchDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = try manifest(["cloud-controller-manager", "--v=2"], in: directory, name: "cloud-controller-manager")
        #expect(throws: UpError.self) { try StaticPodCommand(manifestPath: path) }
        do {
            _ = try StaticPodCommand(manifestPath: path)
        } catch {
            #expect("\(error)" == "\(path) runs \"cloud-controller-manager\", which Ketch has no stand-in for")
        }
    }

    @Test func controllerManagerAndSchedulerRunAsKetchCommandsAndNameTheirPorts() throws {
        let directory = try makeScratchDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let cm = try StaticPodCommand(manifestPath: try manifest(
            ["kube-controller-manager", "--bind-address=127.0.0.1", "--secure-port=20257"], in: directory, name: "kcm"))
        #expect(cm.subcommand == "controller-manager")
        #expect(Readiness.securePort(cm, defaultPort: 10257).description == "https://127.0.0.1:20257 (TCP connect)")
        #expect(cm.listenPorts == [ListenPort(host: "127.0.0.1", port: 20257, owner: "kube-controller-manager --secure-port",
                                              flag: "--controller-manager-port")])
        let scheduler = try StaticPodCommand(manifestPath: try manifest(["kube-scheduler"], in: directory, name: "ks"))
        #expect(scheduler.subcommand == "scheduler")
        #expect(Readiness.securePort(scheduler, defaultPort: 10259).description == "https://127.0.0.1:10259 (TCP connect)")
    }

    @Test func aBusyPortIsNamedWithTheFlagThatMovesIt() throws {
        let port = ListenPort(host: "127.0.0.1", port: 10257, owner: "kube-controller-manager --secure-port", flag: "--controller-manager-port")
        let text = PortCheck.message([port], manifests: "/s/kubernetes/manifests")
        #expect(text.contains("port 10257 (kube-controller-manager --secure-port) is already in use"))
        #expect(text.contains("--controller-manager-port"))
    }

    @Test func wildcardsAreDialledOnLoopback() throws {
        #expect(DialAddress(host: "0.0.0.0", port: 1).description == "127.0.0.1:1")
        #expect(DialAddress(host: "", port: 1).description == "127.0.0.1:1")
        #expect(DialAddress(host: "[::]", port: 2).description == "[::1]:2")
        #expect(DialAddress(host: "[fd00::1]", port: 3).host == "fd00::1")
        let url = try #require(URL(string: "http://localhost/readyz"))
        #expect(DialAddress(url, defaultPort: 2381) == DialAddress(host: "localhost", port: 2381))
        #expect(DialAddress(try #require(URL(string: "unix:relative")), defaultPort: 1) == nil)
    }
}
