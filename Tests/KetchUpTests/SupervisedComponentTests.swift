import Foundation
import Testing
@testable import KetchUp

/// Real child processes (`/bin/sh -c …`) under supervision: restarts, stops, the log.
@Suite struct SupervisedComponentTests {
    private static let spawner = SpawnThread()

    private func component(_ script: String, in directory: String, backoff: RestartBackoff = .standard) -> SupervisedComponent {
        SupervisedComponent(
            launch: ComponentLaunch(name: "sh-test", executable: "/bin/sh", arguments: ["-c", script], origin: "a test"),
            logDirectory: directory, workingDirectory: directory, spawner: Self.spawner, backoff: backoff)
    }

    private func log(_ component: SupervisedComponent) -> String {
        (try? String(contentsOfFile: component.logPath, encoding: .utf8)) ?? ""
    }

    @Test func aChildThatExitsIsRestartedWithBackoff() async throws {
        let directory = try makeScratchDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let fast = RestartBackoff(first: .milliseconds(20), maximum: .milliseconds(40), healthyRun: .seconds(300))
        let child = component("echo ran in $PWD; exit 3", in: directory, backoff: fast)
        #expect(child.logPath == directory + "/sh-test.log")
        child.start()
        let restarted = await eventually { log(child).components(separatedBy: "exited with code 3\n").count > 3 }
        #expect(restarted, "\(log(child))")
        #expect(await child.stop() == false)
        #expect(!child.isRunning)
        let text = log(child)
        #expect(text.contains("ketch up: starting sh-test (from a test): /bin/sh -c echo ran in $PWD; exit 3\n"))
        #expect(text.contains("ketch up: starting sh-test again (start 2)\n"))
        #expect(text.contains("ran in \(directory)\n"))
        #expect(text.contains("[up] sh-test exited with code 3; restarting in 0.02s (log: \(child.logPath))"))
        #expect(text.contains("[up] sh-test exited with code 3; restarting in 0.04s (log: \(child.logPath))"))
        #expect(child.logTail(1).hasPrefix("----"))
    }

    @Test func stopSendsSIGTERM() async throws {
        let directory = try makeScratchDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        // Stopped once it runs its own code: a SIGTERM that comes while Foundation's Process is
        // still starting the child is lost (the child then costs the grace period and SIGKILL).
        let child = component("echo started; exec sleep 30", in: directory)
        child.start()
        #expect(await eventually { log(child).contains("started\n") })
        #expect(await child.stop() == false)
        #expect(!child.isRunning)
        #expect(log(child).contains("was killed by signal 15 (SIGTERM)"))
        #expect(!log(child).contains("sending SIGKILL"))
        #expect(!log(child).contains("restarting"))
    }

    @Test func stopKillsAChildThatIgnoresSIGTERM() async throws {
        let directory = try makeScratchDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let child = component("trap '' TERM; echo trapped; while :; do sleep 0.05; done", in: directory)
        child.start()
        #expect(await eventually { log(child).contains("trapped\n") })
        #expect(await child.stop(grace: .milliseconds(300)) == true)
        #expect(!child.isRunning)
        let text = log(child)
        #expect(text.contains("did not stop within 0.30s; sending SIGKILL"))
        #expect(text.contains("was killed by signal 9 (SIGKILL)"))
    }

    @Test func childrenDoNotSeeEtcdVariables() async throws {
        let directory = try makeScratchDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        setenv("ETCD_KETCH_UP_TEST_HIDDEN", "leaked", 1)
        setenv("KETCH_UP_TEST_VISIBLE", "passed", 1)
        let child = component("echo \"hidden=${ETCD_KETCH_UP_TEST_HIDDEN-unset} visible=$KETCH_UP_TEST_VISIBLE\"", in: directory)
        child.start()
        #expect(await eventually { log(child).contains("exited with code 0") })
        await child.stop()
        #expect(log(child).contains("hidden=unset visible=passed\n"))
    }

    @Test func aProgramThatCannotStartIsRetried() async throws {
        let directory = try makeScratchDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let missing = SupervisedComponent(
            launch: ComponentLaunch(name: "missing", executable: directory + "/no-such-program", arguments: [], origin: "a test"),
            logDirectory: directory, workingDirectory: directory, spawner: Self.spawner,
            backoff: RestartBackoff(first: .milliseconds(20), maximum: .milliseconds(20), healthyRun: .seconds(300)))
        missing.start()
        #expect(await eventually { log(missing).contains("[up] missing could not be started: ") })
        await missing.stop()
        #expect(!missing.isRunning)
    }
}
