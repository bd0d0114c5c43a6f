import Foundation
import Testing
@testable import KetchStore

/// `createAbsent`: what `ketch init` seeds /registry with.
@Suite struct CreateAbsentTests {
    @Test func writesEveryAbsentKeyOnceAndAgainNothing() async throws {
        let fixture = try StoreFixture()
        let store = fixture.store
        try await store.put("k007", "kept")
        let entries = (0..<150).map { (key: Data(String(format: "k%03d", $0)), value: Data("v\($0)")) }
        let before = store.currentRevision

        #expect(try await store.createAbsent(entries) == 149)
        // 150 nested creates in batches of 64: three transactions, one revision each.
        #expect(store.currentRevision == before + 3)
        #expect(try store.get("k007").map { String($0.value) } == ["kept"])
        #expect(try store.get("k149").map { String($0.value) } == ["v149"])
        #expect(try store.get("k000", end: .before(Data("k200"))).count == 150)

        let revision = store.currentRevision
        #expect(try await store.createAbsent(entries) == 0)
        #expect(store.currentRevision == revision)
    }
}
