/// `ValidateNamespace`: on create each of `spec.finalizers` is a qualified name and, without a
/// `/`, a standard finalizer; an update checks the metadata alone (`/finalize` is checked by
/// its handler, with indexed paths).
public enum NamespaceValidation {
    /// The kind's rules; `old` is the stored Namespace on update.
    @Sendable public static func errors(_ object: JSONValue, _ old: JSONValue?) -> [FieldError] {
        guard old == nil else { return [] }
        // kube reports these on the list's path, without the index.
        return (object["spec"]?["finalizers"]?.array ?? []).flatMap {
            ObjectMetaValidation.finalizerNameErrors($0.string ?? "", path: FieldPath("spec", "finalizers"))
        }
    }
}
