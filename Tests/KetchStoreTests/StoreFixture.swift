import Foundation
@testable import KetchStore

/// A store in its own temporary data directory, removed when the test ends.
final class StoreFixture {
    let directory: String
    private(set) var store: MVCCStore

    init(options: StoreOptions = StoreOptions()) throws {
        directory = NSTemporaryDirectory() + "ketch-test-\(UUID().uuidString)"
        store = try MVCCStore(dataDirectory: directory, options: options)
    }

    /// Closes and reopens on the same directory, as a restart does.
    func reopen() throws {
        store.close()
        store = try MVCCStore(dataDirectory: directory)
    }

    deinit {
        store.close()
        try? FileManager.default.removeItem(atPath: directory)
    }
}

extension Data {
    init(_ string: String) { self = Data(string.utf8) }
}

extension String {
    init(_ data: Data) { self = String(decoding: data, as: UTF8.self) }
}

extension MVCCStore {
    @discardableResult
    func put(_ key: String, _ value: String) async throws -> PutResponse {
        try await put(PutRequest(key: Data(key), value: Data(value)))
    }

    func get(_ key: String, end: RangeEnd = .single, revision: Int64 = 0) throws -> [KeyValue] {
        var r = RangeRequest(key: Data(key), rangeEnd: end)
        r.revision = revision
        return try range(r).kvs
    }

    func value(_ key: String) throws -> String? {
        try get(key).first.map { String($0.value) }
    }
}
