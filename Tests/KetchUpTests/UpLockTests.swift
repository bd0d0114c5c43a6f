import Foundation
import Testing
@testable import KetchUp

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

@Suite struct UpLockTests {
    @Test func oneUpPerStateDirectory() throws {
        let state = try makeScratchDirectory()
        defer { try? FileManager.default.removeItem(atPath: state) }
        let first = try UpLock(runDirectory: state + "/run")
        #expect(first.path == state + "/run/up.pid")
        #expect(try String(contentsOfFile: first.path, encoding: .utf8) == "\(getpid())\n")
        do {
            _ = try UpLock(runDirectory: state + "/run")
            Issue.record("a second lock was granted")
        } catch {
            #expect("\(error)" == """
                another `ketch up` (pid \(getpid())) is already running on the state directory \(state) \
                (it holds \(state)/run/up.pid); stop it first (Ctrl-C in its terminal, or kill \(getpid()))
                """)
        }
        first.release()
        #expect(try String(contentsOfFile: first.path, encoding: .utf8).isEmpty)
        let again = try UpLock(runDirectory: state + "/run")
        again.release()
    }

    @Test func aHeldLockWithoutAPidIsStillExclusive() throws {
        let state = try makeScratchDirectory()
        defer { try? FileManager.default.removeItem(atPath: state) }
        let first = try UpLock(runDirectory: state + "/run")
        defer { first.release() }
        try "".write(toFile: first.path, atomically: false, encoding: .utf8)
        #expect(throws: UpError.self) { try UpLock(runDirectory: state + "/run") }
        do {
            _ = try UpLock(runDirectory: state + "/run")
        } catch {
            #expect("\(error)".hasPrefix("another `ketch up` is already running on the state directory \(state) "))
            #expect("\(error)".hasSuffix("stop it first (Ctrl-C in its terminal)"))
        }
    }
}
