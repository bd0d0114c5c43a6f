/// One API group as discovery presents it: its name and served versions, preferred first.
public struct APIGroupInfo: Sendable, Hashable {
    /// The group name; empty for the legacy core group.
    public var name: String
    /// Served versions, most preferred first.
    public var versions: [String]

    /// Creates a group description.
    public init(name: String, versions: [String]) {
        self.name = name
        self.versions = versions
    }

    /// The version clients use when none is named.
    public var preferredVersion: String { versions.first ?? "v1" }

    /// `<group>/<version>`, or the bare version for the core group.
    public func groupVersion(_ version: String) -> String { name.isEmpty ? version : "\(name)/\(version)" }
}
