import Foundation
import Testing
@testable import KetchAPIServer

@Suite struct TarMemberNamesTests {
    let env = ExecEnvironment(kubernetesDirectory: URL(fileURLWithPath: "/home/u/.ketch/kubernetes"),
                              etcdDataDirectory: URL(fileURLWithPath: "/home/u/.ketch/etcd"),
                              binDirectory: URL(fileURLWithPath: "/home/u/.ketch/run/bin"),
                              etcdEndpoints: nil, ketchExecutable: nil)

    @Test func downloadsNameMembersByThePodPath() {
        // kubectl cp NS/POD:/etc/kubernetes/pki/ca.crt ./ca.crt
        #expect(env.rewrite(command: ["tar", "cf", "-", "/etc/kubernetes/pki/ca.crt"]) == [
            "tar", "cf", "-", "/home/u/.ketch/kubernetes/pki/ca.crt",
            #"--transform=s|^home/u/\.ketch/kubernetes\(/\|$\)|etc/kubernetes\1|"#,
            #"--transform=s|^home/u/\.ketch/etcd\(/\|$\)|var/lib/etcd\1|"#,
        ])
        // Options stay before `--`.
        let dashed = env.rewrite(command: ["/bin/tar", "-czf", "-", "--", "/var/lib/etcd/member"])
        #expect(dashed.firstIndex(of: "--")! > dashed.firstIndex { $0.hasPrefix("--transform") }!)
    }

    @Test func leavesOtherCommandsAlone() {
        // Uploads: the -C directory is rewritten and kubectl's members are relative.
        #expect(env.rewrite(command: ["tar", "--no-same-permissions", "--no-same-owner", "-xmf", "-", "-C", "/etc/kubernetes"])
                == ["tar", "--no-same-permissions", "--no-same-owner", "-xmf", "-", "-C", "/home/u/.ketch/kubernetes"])
        #expect(env.rewrite(command: ["tar", "cf", "-", "/tmp/x"]) == ["tar", "cf", "-", "/tmp/x"])
        #expect(env.rewrite(command: ["cat", "/etc/kubernetes/pki/ca.crt"]) == ["cat", "/home/u/.ketch/kubernetes/pki/ca.crt"])
        #expect(env.rewrite(command: ["tar", "tf", "/etc/kubernetes/a.tar"]) == ["tar", "tf", "/home/u/.ketch/kubernetes/a.tar"])
    }

    @Test func recognisesCreateMode() {
        #expect(TarMemberNames.creates(["cf", "-", "x"]))
        #expect(TarMemberNames.creates(["-czf", "-", "x"]))
        #expect(TarMemberNames.creates(["--create", "--file=-", "x"]))
        #expect(TarMemberNames.creates(["-c", "-f", "-", "x"]))
        #expect(!TarMemberNames.creates(["-xmf", "-", "-C", "/x"]))
        #expect(!TarMemberNames.creates(["-xf", "c"]))
        #expect(!TarMemberNames.creates(["-fc", "-x"])) // -f takes "c"
        #expect(!TarMemberNames.creates(["xf", "-", "--", "-c"]))
    }

    @Test func escapesRegularExpressionCharacters() {
        #expect(TarMemberNames.escapePattern("a.b[c]*^$\\|", "|") == #"a\.b\[c\]\*\^\$\\\|"#)
        #expect(TarMemberNames.escapeReplacement("a&b\\c", "|") == #"a\&b\\c"#)
    }

    /// GNU tar itself, when the host has it: the archive's member names are the pod's.
    @Test func gnuTarWritesPodMemberNames() throws {
        guard let tar = env.resolveExecutable("tar") else { return }
        let state = FileManager.default.temporaryDirectory.appendingPathComponent("ketch-tar-\(UUID().uuidString)/st.ate")
        defer { try? FileManager.default.removeItem(at: state.deletingLastPathComponent()) }
        let pki = state.appendingPathComponent("kubernetes/pki")
        try FileManager.default.createDirectory(at: pki, withIntermediateDirectories: true)
        try Data("ca".utf8).write(to: pki.appendingPathComponent("ca.crt"))
        let env = ExecEnvironment(kubernetesDirectory: state.appendingPathComponent("kubernetes"), etcdDataDirectory: nil,
                                  binDirectory: state.appendingPathComponent("bin"), etcdEndpoints: nil, ketchExecutable: nil)
        let archive = state.appendingPathComponent("out.tar").path
        let create = env.rewrite(command: ["tar", "cf", archive, "/etc/kubernetes/pki"])
        #expect(try run(tar, Array(create.dropFirst())) == 0)
        let list = Process()
        list.executableURL = tar
        list.arguments = ["tf", archive]
        let pipe = Pipe()
        list.standardOutput = pipe
        try list.run()
        let names = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        list.waitUntilExit()
        #expect(names.split(separator: "\n") == ["etc/kubernetes/pki/", "etc/kubernetes/pki/ca.crt"])
    }

    private func run(_ executable: URL, _ arguments: [String]) throws -> Int32 {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        return process.terminationStatus
    }
}
