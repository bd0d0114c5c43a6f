/// The `includeObject` Table option: what each row's `object` carries.
public enum IncludeObject: String, Sendable, CaseIterable {
    /// No object (`includeObject=None`).
    case none = "None"
    /// A `PartialObjectMetadata` with the object's metadata: kube's default, and what kubectl
    /// needs for `--show-labels`, `-L` and the NAMESPACE column.
    case metadata = "Metadata"
    /// The whole object (`includeObject=Object`).
    case object = "Object"

    /// Parses the query parameter; nil for unknown values (kube answers 400 for those).
    /// An absent or empty value means `.metadata`.
    public init?(queryValue: String?) {
        guard let queryValue, !queryValue.isEmpty else { self = .metadata; return }
        self.init(rawValue: queryValue)
    }
}
