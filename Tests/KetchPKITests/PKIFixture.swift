import Foundation
import KetchPKI

/// A throwaway certificate directory.
struct PKIFixture {
    let path: String

    init(_ label: String = "pki") {
        path = NSTemporaryDirectory() + "ketch-pki-\(label)-\(UUID().uuidString)"
    }

    init(existing path: String) {
        self.path = path
    }

    static let parameters: PKIParameters = try! PKIParameters(
        nodeName: "node-1", advertiseAddress: "192.168.1.10", serviceCIDR: "10.96.0.0/12", dnsDomain: "cluster.local")

    func builder(_ algorithm: KeyAlgorithm = .rsa2048, parameters: PKIParameters = PKIFixture.parameters) throws -> PKIBuilder {
        try PKIBuilder(certificateDirectory: path, parameters: parameters, algorithm: algorithm)
    }

    func file(_ relative: String) -> String { path + "/" + relative }

    func bytes(_ relative: String) throws -> Data { try Data(contentsOf: URL(fileURLWithPath: file(relative))) }

    /// Every file under the directory with its contents, to prove a run changed nothing.
    func snapshot() throws -> [String: Data] {
        var result: [String: Data] = [:]
        let enumerator = FileManager.default.enumerator(atPath: path)
        while let relative = enumerator?.nextObject() as? String {
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: file(relative), isDirectory: &isDirectory), !isDirectory.boolValue {
                result[relative] = try bytes(relative)
            }
        }
        return result
    }

    func mode(_ relative: String) throws -> Int {
        let attributes = try FileManager.default.attributesOfItem(atPath: file(relative))
        return (attributes[.posixPermissions] as! NSNumber).intValue
    }

    func remove(_ relative: String) throws {
        try FileManager.default.removeItem(atPath: file(relative))
    }

    func copy(to other: PKIFixture) throws {
        try FileManager.default.copyItem(atPath: path, toPath: other.path)
    }

    func destroy() {
        try? FileManager.default.removeItem(atPath: path)
    }
}

/// One full RSA and one full ECDSA PKI, made once and shared by the read-only tests
/// (RSA key generation is the slow part).
enum SharedPKI {
    struct Made: Sendable {
        let path: String
        let events: [String]
    }

    static let rsa: Result<Made, any Error> = make(.rsa2048)
    static let ecdsa: Result<Made, any Error> = make(.ecdsaP256)

    /// One parent per test process, removed when the process exits (swift-testing has no global teardown).
    private static let root: String = {
        let root = NSTemporaryDirectory() + "ketch-pki-shared-\(getpid())"
        atexit { try? FileManager.default.removeItem(atPath: SharedPKI.root) }
        return root
    }()

    private static func make(_ algorithm: KeyAlgorithm) -> Result<Made, any Error> {
        Result {
            let fixture = PKIFixture(existing: root + "/" + algorithm.rawValue)
            let events = try fixture.builder(algorithm).run().map(\.description)
            return Made(path: fixture.path, events: events)
        }
    }
}
