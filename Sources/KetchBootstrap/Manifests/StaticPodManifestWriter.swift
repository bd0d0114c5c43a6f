import Foundation

/// Renders kubeadm's static pod manifests from the templates in `manifests/` and writes them to
/// the state directory's `kubernetes/manifests`, mode 0600 as kubeadm does.
public struct StaticPodManifestWriter: Sendable {
    /// The values the templates are filled with.
    public let controlPlane: ResolvedControlPlane
    /// Where the templates come from (the bundled ones by default).
    public let templates: TemplateLibrary

    public init(controlPlane: ResolvedControlPlane, templates: TemplateLibrary = .bundled) {
        self.controlPlane = controlPlane
        self.templates = templates
    }

    /// The manifest of `component` as YAML text.
    public func render(_ component: ControlPlaneComponent) throws -> String {
        let name = component.manifestFileName
        let node = try YAMLTemplate.render(try templates.text(name), name: name, values: controlPlane.placeholders)
        return try YAMLTemplate.serialize(node)
    }

    /// Writes the manifest of `component` (replacing an older one, as kubeadm does); returns its path.
    @discardableResult
    public func write(_ component: ControlPlaneComponent) throws -> String {
        let path = controlPlane.configuration.layout.manifest(component)
        try SecureFile.write(Data(try render(component).utf8), to: path, mode: 0o600)
        return path
    }

    /// Writes all four manifests; returns their paths.
    @discardableResult
    public func writeAll() throws -> [String] {
        try ControlPlaneComponent.allCases.map(write)
    }
}
