import Foundation
import KetchBootstrap
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Testing
@testable import KetchUp

@Suite struct UpSummaryTests {
    @Test func summaryNamesTheKubeconfigAndTheApiserversEtcdCredentials() throws {
        let directory = try makeScratchDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let layout = StateLayout(root: directory)
        func command(_ name: String, _ argv: [String]) throws -> StaticPodCommand {
            let path = directory + "/\(name).yaml"
            try """
                metadata: {name: \(name)}
                spec: {containers: [{name: \(name), command: [\(argv.joined(separator: ", "))]}]}
                """.write(toFile: path, atomically: true, encoding: .utf8)
            return try StaticPodCommand(manifestPath: path)
        }
        let etcd = try command("etcd", ["etcd", "--listen-client-urls=https://0.0.0.0:2379"])
        let apiserver = try command("kube-apiserver", [
            "kube-apiserver", "--etcd-cafile=/p/ca.crt", "--etcd-certfile=/p/c.crt", "--etcd-keyfile=/p/c.key",
        ])
        let text = UpSummary.text(layout: layout, etcd: etcd, apiserver: apiserver, readyIn: .milliseconds(1500), etcdClientPort: 2379)
        #expect(text.contains("Your Ketch control plane is up (ready in 1.50s)."))
        #expect(text.contains("  export KUBECONFIG=\(layout.kubeconfig(.admin))\n"))
        #expect(text.contains("etcdctl --endpoints=https://127.0.0.1:2379 --cacert=/p/ca.crt --cert=/p/c.crt --key=/p/c.key get /registry --prefix --keys-only"))
        #expect(text.hasSuffix("Logs: \(layout.root)/logs/   Stop: Ctrl-C"))

        let bare = try command("etcd", ["etcd"])
        let etcdOnly = UpSummary.text(layout: layout, etcd: bare, apiserver: nil, readyIn: .seconds(2), etcdClientPort: 12379)
        #expect(etcdOnly.contains("kube-apiserver is not running"))
        #expect(etcdOnly.contains("--endpoints=https://127.0.0.1:12379 --cacert=\(layout.pki.directory)/etcd/ca.crt"))
    }

    @Test func aClusterIsThereOnceInitFinished() throws {
        let directory = try makeScratchDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let layout = StateLayout(root: directory)
        #expect(!layout.hasCluster)
        try FileManager.default.createDirectory(atPath: layout.manifestsDirectory, withIntermediateDirectories: true)
        for file in [layout.kubeconfig(.admin), layout.manifest(.etcd), layout.manifest(.kubeAPIServer)] {
            FileManager.default.createFile(atPath: file, contents: Data())
        }
        #expect(!layout.hasCluster)
        try FileManager.default.createDirectory(atPath: layout.etcdDataDirectory, withIntermediateDirectories: true)
        #expect(layout.hasCluster)
    }

    @Test func spawnThreadRunsJobsOnItsOwnThread() async throws {
        let spawner = SpawnThread()
        let first = try await spawner.run { pthread_self() }
        let second = try await spawner.run { pthread_self() }
        #expect(first == second)
        #expect(try await spawner.run { 6 * 7 } == 42)
        await #expect(throws: UpError.self) { try await spawner.run { throw UpError("no") } }
    }
}
