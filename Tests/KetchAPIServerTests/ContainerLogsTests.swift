import Foundation
import KubeCore
import Testing
@testable import KetchAPIServer

@Suite struct ContainerLogsTests {
    func setUp(_ text: String) throws -> (URL, ContainerLogs, JSONValue) {
        let directory = try KubeletFixtures.temporaryDirectory()
        try text.write(to: directory.appendingPathComponent("etcd.log"), atomically: true, encoding: .utf8)
        let pod = MirrorPod.build(from: try KubeletFixtures.file(), nodeName: "vm", nodeUID: "n", nodeAddress: "10.0.0.5")
        return (directory, ContainerLogs(logDirectory: directory), pod)
    }

    static let log = """
        {"level":"info","ts":"2025-06-15T15:00:00.000000Z","msg":"one"}
        {"level":"info","ts":"2025-06-15T15:05:00.000000Z","msg":"two"}
        continuation of two
        {"level":"info","ts":"2025-06-15T15:06:30.5Z","msg":"three"}

        """

    @Test func readsWithOptions() throws {
        let (directory, logs, pod) = try setUp(Self.log)
        defer { try? FileManager.default.removeItem(at: directory) }
        #expect(logs.logFile(for: pod)?.lastPathComponent == "etcd.log")
        #expect(try logs.read(pod: pod, options: LogOptions()) == Self.log)

        let tail = try LogOptions(query: "tailLines=2")
        #expect(try logs.read(pod: pod, options: tail) == "continuation of two\n{\"level\":\"info\",\"ts\":\"2025-06-15T15:06:30.5Z\",\"msg\":\"three\"}\n")

        let now = Date(timeIntervalSince1970: 1_750_000_000) // 15:06:40
        let since = try LogOptions(query: "sinceSeconds=120&timestamps=true")
        #expect(try logs.read(pod: pod, options: since, now: now)
                == "2025-06-15T15:05:00Z {\"level\":\"info\",\"ts\":\"2025-06-15T15:05:00.000000Z\",\"msg\":\"two\"}\n"
                 + "2025-06-15T15:05:00Z continuation of two\n"
                 + "2025-06-15T15:06:30.5Z {\"level\":\"info\",\"ts\":\"2025-06-15T15:06:30.5Z\",\"msg\":\"three\"}\n")

        #expect(try logs.read(pod: pod, options: try LogOptions(query: "limitBytes=5")) == "{\"lev")
    }

    @Test func errorsAreKubeStatuses() throws {
        let (directory, logs, pod) = try setUp("x\n")
        defer { try? FileManager.default.removeItem(at: directory) }
        #expect(throws: KubeStatus.badRequest("container other is not valid for pod etcd-vm")) {
            try logs.read(pod: pod, options: try LogOptions(query: "container=other"))
        }
        #expect(throws: KubeStatus.self) { try logs.read(pod: pod, options: try LogOptions(query: "previous=true")) }
        #expect(throws: KubeStatus.self) { try LogOptions(query: "sinceSeconds=5&sinceTime=2025-06-15T15:00:00Z") }
        #expect(throws: KubeStatus.self) { try LogOptions(query: "tailLines=abc") }
        try FileManager.default.removeItem(at: directory.appendingPathComponent("etcd.log"))
        do {
            _ = try logs.read(pod: pod, options: LogOptions())
            Issue.record("expected an error")
        } catch let status as KubeStatus {
            #expect(status.code == 400)
            #expect(status.message.hasPrefix("container \"etcd\" in pod \"etcd-vm\" is waiting to start"))
        }
    }

    @Test func followsAppendedLines() async throws {
        let (directory, logs0, pod) = try setUp("first\n")
        defer { try? FileManager.default.removeItem(at: directory) }
        var logs = logs0
        logs.pollInterval = .milliseconds(20)
        let file = directory.appendingPathComponent("etcd.log")
        var iterator = logs.follow(pod: pod, options: try LogOptions(query: "follow=true")).makeAsyncIterator()
        #expect(try await iterator.next() == Array("first\n".utf8))
        let handle = try FileHandle(forWritingTo: file)
        try handle.seekToEnd()
        try handle.write(contentsOf: Data("second\n".utf8))
        try handle.close()
        #expect(try await iterator.next() == Array("second\n".utf8))
    }
}
