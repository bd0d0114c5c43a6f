import Foundation

/// The templates and seed objects under the repository's `manifests/`, which the binary carries
/// as its resource bundle. Another directory of the same shape can stand in (tests, packaging).
public struct TemplateLibrary: Sendable {
    /// The `manifests` directory.
    public let directory: URL

    /// A library rooted at `directory` (laid out like `manifests/`).
    public init(directory: URL) {
        self.directory = directory
    }

    /// The copy built into this binary (SwiftPM's resource bundle beside the executable).
    public static var bundled: TemplateLibrary {
        TemplateLibrary(directory: Bundle.module.resourceURL!.appendingPathComponent("manifests"))
    }

    /// The text of `relativePath` (e.g. `etcd.yaml`, `registry/namespaces.json`).
    func text(_ relativePath: String) throws -> String {
        String(decoding: try data(relativePath), as: UTF8.self)
    }

    func data(_ relativePath: String) throws -> Data {
        let url = directory.appendingPathComponent(relativePath)
        guard let data = FileManager.default.contents(atPath: url.path) else {
            throw BootstrapError.templateMissing(relativePath)
        }
        return data
    }

    /// The `.json` files under `folder`, relative to the library, sorted so loading is deterministic.
    func jsonFiles(under folder: String) throws -> [String] {
        let base = directory.appendingPathComponent(folder)
        guard let walker = FileManager.default.enumerator(atPath: base.path) else {
            throw BootstrapError.templateMissing(folder)
        }
        var files: [String] = []
        while let next = walker.nextObject() as? String {
            if next.hasSuffix(".json") { files.append(folder + "/" + next) }
        }
        return files.sorted()
    }
}
