import Foundation
import Testing
@testable import KetchUp

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Probes against a loopback listener of the test's own.
@Suite struct ReadinessTests {
    @Test func tcpAndHTTPProbes() async throws {
        let listener = try LoopbackHTTPListener(statuses: ["/readyz": 200, "/slow": 503])
        let address = DialAddress(host: "127.0.0.1", port: listener.port)
        #expect(await ReadinessProbe.connects(to: address))
        #expect(await ReadinessProbe.httpStatus(of: address, path: "/readyz") == 200)
        #expect(await ReadinessProbe.httpStatus(of: address, path: "/slow") == 503)
        #expect(await ReadinessProbe.httpStatus(of: address, path: "/other") == 404)
        listener.stop()
        #expect(await !ReadinessProbe.connects(to: address))
        #expect(await ReadinessProbe.httpStatus(of: address, path: "/readyz") == nil)
    }

    @Test func httpReadinessFallsBackWhenThePathIsNotFound() async throws {
        let old = try LoopbackHTTPListener(statuses: ["/health": 200])
        let oldAddress = DialAddress(host: "127.0.0.1", port: old.port)
        #expect(await Readiness.http(oldAddress, path: "/readyz", fallback: "/health").check())
        let failing = try LoopbackHTTPListener(statuses: ["/readyz": 503, "/health": 200])
        let failingAddress = DialAddress(host: "127.0.0.1", port: failing.port)
        #expect(await !Readiness.http(failingAddress, path: "/readyz", fallback: "/health").check())
        #expect(await Readiness.tcp(failingAddress, scheme: "https").check())
    }

    @Test func waitingEndsOnASignalOrAtTheTimeout() async throws {
        let directory = try makeScratchDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let idle = SupervisedComponent(
            launch: ComponentLaunch(name: "idle", executable: "/bin/true", arguments: [], origin: "a test"),
            logDirectory: directory, workingDirectory: directory, spawner: SpawnThread())
        let readiness = Readiness.tcp(DialAddress(host: "127.0.0.1", port: 1), scheme: "https")
        do {
            try await readiness.wait(for: idle, timeout: .milliseconds(200), shutdown: ShutdownRequest())
            Issue.record("a component that never ran was ready")
        } catch {
            #expect("\(error)" == """
                idle did not become ready within 0.20s (checked https://127.0.0.1:1 (TCP connect)).
                Read its log, \(directory)/idle.log; its last lines:
                (no log yet)
                """)
        }
        let shutdown = ShutdownRequest()
        shutdown.request(SIGINT)
        await #expect(throws: Interrupted.self) {
            try await readiness.wait(for: idle, timeout: .seconds(10), shutdown: shutdown)
        }
    }

    @Test func theFirstSignalCounts() async {
        let shutdown = ShutdownRequest()
        #expect(shutdown.requested == nil)
        shutdown.request(SIGHUP)
        shutdown.request(SIGTERM)
        #expect(shutdown.requested == SIGHUP)
        #expect(await shutdown.wait() == SIGHUP)
        #expect(SignalName.describe(SIGHUP) == "SIGHUP")
        #expect(SignalName.describe(SIGKILL) == "SIGKILL")
        #expect(SignalName.describe(64) == "signal 64")
        #expect(SignalName.of(64) == nil)
    }
}
