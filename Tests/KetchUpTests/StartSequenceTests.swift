import Foundation
import KetchBootstrap
import Testing
@testable import KetchUp

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Components brought up in order, each once the one before is ready.
@Suite struct StartSequenceTests {
    private func sleeper(_ name: String, in directory: String, spawner: SpawnThread) -> SupervisedComponent {
        SupervisedComponent(
            launch: ComponentLaunch(name: name, executable: "/bin/sh", arguments: ["-c", "echo started; exec sleep 30"], origin: "a test"),
            logDirectory: directory, workingDirectory: directory, spawner: spawner)
    }

    @Test func bringsUpInOrderAndStopsInReverse() async throws {
        let directory = try makeScratchDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let listener = try LoopbackHTTPListener(statuses: ["/readyz": 200])
        let spawner = SpawnThread()
        let first = sleeper("first", in: directory, spawner: spawner)
        let second = sleeper("second", in: directory, spawner: spawner)
        let ready = Readiness.http(DialAddress(host: "127.0.0.1", port: listener.port), path: "/readyz", fallback: "/health")
        let running = try await StartSequence([(first, ready), (second, ready)]).bringUp(
            readyTimeout: .seconds(60), shutdown: ShutdownRequest())
        #expect(running?.map(\.name) == ["first", "second"])
        #expect(first.isRunning && second.isRunning)
        // See SupervisedComponentTests.stopSendsSIGTERM: stop once the children run their own code.
        for child in [first, second] {
            #expect(await eventually { (try? String(contentsOfFile: child.logPath, encoding: .utf8))?.contains("started\n") == true })
        }
        await StartSequence.stop(running ?? [])
        #expect(!first.isRunning && !second.isRunning)
    }

    @Test func aComponentThatIsNotReadyStopsThoseBeforeIt() async throws {
        let directory = try makeScratchDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let listener = try LoopbackHTTPListener(statuses: ["/readyz": 200])
        let spawner = SpawnThread()
        let first = sleeper("first", in: directory, spawner: spawner)
        let second = sleeper("second", in: directory, spawner: spawner)
        let ready = Readiness.http(DialAddress(host: "127.0.0.1", port: listener.port), path: "/readyz", fallback: "/health")
        let never = Readiness.http(DialAddress(host: "127.0.0.1", port: listener.port), path: "/never", fallback: "/never")
        await #expect(throws: UpError.self) {
            _ = try await StartSequence([(first, ready), (second, never)]).bringUp(
                readyTimeout: .milliseconds(300), shutdown: ShutdownRequest())
        }
        #expect(!first.isRunning && !second.isRunning)
    }

    @Test func aSignalBeforeReadinessStopsWhatStarted() async throws {
        let directory = try makeScratchDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let child = sleeper("child", in: directory, spawner: SpawnThread())
        let shutdown = ShutdownRequest()
        shutdown.request(SIGTERM)
        let running = try await StartSequence([(child, .tcp(DialAddress(host: "127.0.0.1", port: 1), scheme: "https"))])
            .bringUp(readyTimeout: .seconds(10), shutdown: shutdown)
        #expect(running == nil)
        #expect(!child.isRunning)
    }
}
