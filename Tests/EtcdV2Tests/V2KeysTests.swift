import EtcdV2
import Testing

@Suite struct V2KeysTests {
    let keys = V2Keys(backend: InMemoryV3())

    @Test func aFileIsItsV3Key() async throws {
        let set = try await keys.set("/a/b", dir: false, value: "1")
        #expect(set.action == "set")
        #expect(set.node.key == "/a/b")
        let got = try await keys.get("a/b", recursive: false)
        #expect(got.node.value == "1")
        #expect(got.node.createdIndex == set.node.createdIndex)
    }

    @Test func aDirectoryExistsWhileKeysAreUnderIt() async throws {
        _ = try await keys.set("/d/x", dir: false, value: "1")
        _ = try await keys.set("/d/y", dir: false, value: "2")
        let dir = try await keys.get("/d", recursive: false)
        #expect(dir.node.dir)
        #expect(dir.node.nodes?.map(\.key).sorted() == ["/d/x", "/d/y"])
    }

    @Test func missingKeysAndNonEmptyDirectoriesGiveV2Errors() async throws {
        let missing = await #expect(throws: V2Error.self) { try await keys.get("/nope", recursive: false) }
        #expect(missing?.code == V2Error.keyNotFound)
        #expect(missing?.httpStatus == 404)
        _ = try await keys.set("/full/x", dir: false, value: "1")
        let notEmpty = await #expect(throws: V2Error.self) {
            try await keys.delete("/full", dir: true, recursive: false)
        }
        #expect(notEmpty?.code == V2Error.dirNotEmpty)
        #expect(try await keys.get("/full/x", recursive: false).node.value == "1")
    }

    @Test func compareAndSwapChecksThePreviousValue() async throws {
        _ = try await keys.set("/k", dir: false, value: "old")
        let failed = await #expect(throws: V2Error.self) {
            try await keys.compareAndSwap("/k", value: "new", prevValue: "other", prevIndex: 0)
        }
        #expect(failed?.code == V2Error.testFailed)
        let swapped = try await keys.compareAndSwap("/k", value: "new", prevValue: "old", prevIndex: 0)
        #expect(swapped.node.value == "new")
        #expect(swapped.prevNode?.value == "old")
    }

    @Test func pathsAreCleanedAsGoDoes() {
        #expect(V2Keys.clean("a//b/../c/") == "/a/c")
        #expect(V2Keys.clean("") == "/")
    }

    @Test func jsonEscapesAsGoDoes() {
        #expect(V2JSON.string("a\"<b>&\n") == "\"a\\\"\\u003cb\\u003e\\u0026\\n\"")
    }
}
