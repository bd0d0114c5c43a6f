import Foundation

/// Placeholder until bootstrap lands.
enum KetchBootstrapModule {
    static var templates: URL? { Bundle.module.url(forResource: "manifests", withExtension: nil) }
}
