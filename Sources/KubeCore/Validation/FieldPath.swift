/// A path to a field, as apimachinery's `field.Path` builds and prints it:
/// `spec.containers[0].ports[1].containerPort`, `metadata.labels[app]`.
public struct FieldPath: Sendable, Hashable, CustomStringConvertible {
    private let text: String

    private init(text: String) { self.text = text }

    /// `field.NewPath(name, more...)`.
    public init(_ name: String, _ more: String...) {
        self.text = ([name] + more).joined(separator: ".")
    }

    /// `Child(name, more...)`: a named member.
    public func child(_ name: String, _ more: String...) -> FieldPath {
        FieldPath(text: ([text, name] + more).joined(separator: "."))
    }

    /// `Index(i)`: an element of a list.
    public func index(_ index: Int) -> FieldPath {
        FieldPath(text: "\(text)[\(index)]")
    }

    /// `Key(k)`: an entry of a map.
    public func key(_ key: String) -> FieldPath {
        FieldPath(text: "\(text)[\(key)]")
    }

    /// The path as `field.Path.String()` prints it.
    public var description: String { text }
}
