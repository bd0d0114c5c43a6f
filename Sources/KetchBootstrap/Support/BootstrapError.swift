import Foundation

/// Why a bootstrap step failed. Every case carries enough to print a useful one-line message.
public enum BootstrapError: Error, Equatable, CustomStringConvertible {
    /// An input (address, CIDR, port, name, version) does not parse or does not fit.
    case invalidConfiguration(String)
    /// A template or seed file is not among the bundled (or given) manifests.
    case templateMissing(String)
    /// A template or seed file exists but is not what the renderer expects.
    case templateInvalid(path: String, reason: String)
    /// A template names a placeholder nobody supplies (a typo in the data, not a user error).
    case unknownPlaceholder(name: String, template: String)
    /// An existing kubeconfig was made for another cluster, so it is neither kept nor overwritten.
    case kubeconfigMismatch(path: String, reason: String)
    /// Reading or writing a file failed.
    case fileSystem(path: String, reason: String)

    public var description: String {
        switch self {
        case .invalidConfiguration(let why): return why
        case .templateMissing(let path): return "template \(path) is missing from the manifests"
        case .templateInvalid(let path, let why): return "template \(path) is invalid: \(why)"
        case .unknownPlaceholder(let name, let template): return "template \(template) uses unknown placeholder ${\(name)}"
        case .kubeconfigMismatch(let path, let why): return "a kubeconfig file \(path) exists already but \(why)"
        case .fileSystem(let path, let why): return "\(path): \(why)"
        }
    }
}
