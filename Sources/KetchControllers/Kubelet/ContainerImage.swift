import Crypto
import Foundation

/// Image references and runtime ids as containerd reports them to the kubelet, for simulated
/// containers: `nginx` runs as `docker.io/library/nginx:latest`, with a stable repo digest and
/// a fresh 64-hex container id per container instance.
public enum ContainerImage {
    /// The fully qualified reference (Docker's `ParseNormalizedNamed` plus the default tag):
    /// `nginx` → `docker.io/library/nginx:latest`, `quay.io/x/y:1` unchanged,
    /// `localhost:5000/app` → `localhost:5000/app:latest`.
    public static func normalized(_ image: String) -> String {
        var name = image
        var digest = ""
        if let at = name.firstIndex(of: "@") {
            digest = String(name[at...])
            name = String(name[..<at])
        }
        if let slash = name.firstIndex(of: "/") {
            let first = name[..<slash]
            let isDomain = first.contains(".") || first.contains(":") || first == "localhost" || first.lowercased() != first
            if !isDomain {
                name = "docker.io/" + name
            } else if first == "docker.io" || first == "index.docker.io", !name[name.index(after: slash)...].contains("/") {
                name = "docker.io/library/" + name[name.index(after: slash)...]
            }
        } else {
            name = "docker.io/library/" + name
        }
        if digest.isEmpty && !hasTag(name) { name += ":latest" }
        return name + digest
    }

    /// The repository digest the runtime reports as `imageID`: the reference's digest when it
    /// has one, else a stand-in derived from the normalized reference, so the same image always
    /// reports the same id (`docker.io/library/nginx@sha256:…`).
    public static func imageID(_ image: String) -> String {
        let reference = normalized(image)
        if let at = reference.firstIndex(of: "@") {
            return repository(String(reference[..<at])) + reference[at...]
        }
        return repository(reference) + "@sha256:" + sha256Hex(reference)
    }

    /// `containerd://<64 hex>`: a container id, distinct per pod, container and restart.
    public static func containerID(podUID: String, container: String, restartCount: Int) -> String {
        "containerd://" + sha256Hex("\(podUID)/\(container)/\(restartCount)")
    }

    /// The pull policy core/v1 defaulting gives `image`: `Always` for `:latest` or untagged
    /// images, `IfNotPresent` otherwise.
    public static func defaultPullPolicy(_ image: String) -> String {
        if image.contains("@") { return "IfNotPresent" }
        let reference = normalized(image)
        return reference.hasSuffix(":latest") ? "Always" : "IfNotPresent"
    }

    /// Whether the last path component carries a `:tag`.
    private static func hasTag(_ name: String) -> Bool {
        let lastComponent = name.split(separator: "/").last ?? Substring(name)
        return lastComponent.contains(":")
    }

    /// The reference without its tag.
    private static func repository(_ reference: String) -> String {
        guard hasTag(reference), let colon = reference.lastIndex(of: ":") else { return reference }
        return String(reference[..<colon])
    }

    static func sha256Hex(_ text: String) -> String {
        SHA256.hash(data: Data(text.utf8)).map { String(format: "%02x", $0) }.joined()
    }
}
