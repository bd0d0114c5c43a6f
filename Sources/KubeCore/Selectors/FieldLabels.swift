/// The field labels one resource's field selectors may name, and where each one's value is read
/// from a stored object.
///
/// kube-apiserver keeps these as two lists: the kind's field label conversion
/// (`Scheme.AddFieldLabelConversionFunc` in `pkg/apis/<group>/<version>/conversion.go`), which
/// every list, watch and deletecollection runs each term through (`fields.Selector.Transform`,
/// a 400 BadRequest carrying the conversion's error for a label it does not know), and the
/// registry's `ToSelectableFields`, which the converted selector is matched against. The lists
/// differ: pods accept `status.podIPs` but never set it, so it always reads as "". Kinds with
/// no conversion of their own use `runtime.DefaultMetaV1FieldSelectorConversion`, which knows
/// only `metadata.name` and `metadata.namespace`.
public struct FieldLabels: Sendable {
    /// How a rejected label is reported: each conversion function words it its own way.
    public enum Rejection: Sendable, Hashable {
        /// `field label not supported: <label>`: most kinds' own conversions, and CRDs.
        case notSupported
        /// `"<label>" is not a known field selector: only "metadata.name", "metadata.namespace"`:
        /// `runtime.DefaultMetaV1FieldSelectorConversion`.
        case notKnown
        /// `field label "<label>" not supported for <kind>`: batch/v1 Job's conversion.
        case notSupportedFor(kind: String)

        /// The error message for `label`.
        public func message(_ label: String) -> String {
            switch self {
            case .notSupported:
                return "field label not supported: \(label)"
            case .notKnown:
                return "\(goQuoted(label)) is not a known field selector: only \"metadata.name\", \"metadata.namespace\""
            case .notSupportedFor(let kind):
                return "field label \(goQuoted(label)) not supported for \(kind)"
            }
        }
    }

    /// Where a selectable field's value is read from.
    public struct Source: Sendable, Hashable {
        /// Dotted paths tried in order; the first with a non-empty value wins. More than one
        /// covers objects stored in either of two shapes (core and events.k8s.io Events) and
        /// upstream's fallbacks (an Event's `source` falls back to its reporting controller).
        public var paths: [String]
        /// The value when no path has one. The registries set some fields from Go values that
        /// are never empty: a missing boolean reads `false`, a missing count `0`.
        public var absent: String

        /// A field read from `paths`, `absent` when none has a value.
        public init(_ paths: String..., absent: String = "") {
            self.paths = paths
            self.absent = absent
        }
    }

    /// Each label a client may send, mapped to the label the field set knows it by (the same
    /// label, or its replacement: pods' legacy `spec.host` is `spec.nodeName`).
    public let accepted: [String: String]
    /// Each field-set label's source. An accepted label without one always reads as "".
    public let sources: [String: Source]
    /// How labels outside `accepted` are rejected.
    public let rejection: Rejection

    /// Rules from explicit tables.
    public init(accepted: [String: String], sources: [String: Source], rejection: Rejection) {
        self.accepted = accepted
        self.sources = sources
        self.rejection = rejection
    }

    /// A kind with its own conversion: `metadata.name`, `metadata.namespace` when the conversion
    /// accepts it (most namespaced kinds), the kind's `fields`, `unset` labels that are accepted
    /// but never set, and `renamed` labels mapped to others.
    public init(namespaceLabel: Bool, fields: [String: Source], unset: [String] = [], renamed: [String: String] = [:],
                rejection: Rejection = .notSupported) {
        var accepted = ["metadata.name": "metadata.name"]
        var sources = ["metadata.name": Source("metadata.name")]
        if namespaceLabel {
            accepted["metadata.namespace"] = "metadata.namespace"
            sources["metadata.namespace"] = Source("metadata.namespace")
        }
        for (label, source) in fields {
            accepted[label] = label
            sources[label] = source
        }
        for label in unset { accepted[label] = label }
        for (label, target) in renamed { accepted[label] = target }
        self.init(accepted: accepted, sources: sources, rejection: rejection)
    }

    /// `runtime.DefaultMetaV1FieldSelectorConversion`: every kind without a conversion of its
    /// own — ConfigMaps, Deployments, ReplicaSets, CronJobs, RBAC and the rest — takes only
    /// `metadata.name` and `metadata.namespace`, cluster-scoped kinds included.
    public static let metadataOnly = FieldLabels(namespaceLabel: true, fields: [:], rejection: .notKnown)

    /// A custom resource (apiextensions-apiserver's `crConverter.ConvertFieldLabel`):
    /// `metadata.name`, `metadata.namespace` when namespaced, and the version's
    /// `selectableFields`, each read at its JSON path.
    public static func customResource(namespaced: Bool, selectableFields: [String]) -> FieldLabels {
        var fields: [String: Source] = [:]
        for label in selectableFields { fields[label] = Source(label) }
        return FieldLabels(namespaceLabel: namespaced, fields: fields)
    }

    /// The rules kube-apiserver 1.33 applies to `type`.
    public static func of(_ type: ResourceType) -> FieldLabels {
        if type.isCustom {
            return customResource(namespaced: type.namespaced, selectableFields: type.selectableFields)
        }
        return BuiltinFieldLabels.rules[BuiltinFieldLabels.Key(group: type.group, plural: type.plural)] ?? metadataOnly
    }

    /// `selector` with every term's label converted, in the selector's order, as
    /// `fields.Selector.Transform` does with the kind's conversion function.
    /// - Throws: the message for the first label the kind does not accept.
    public func convert(_ selector: FieldSelector) throws(SelectorError) -> FieldSelector {
        var converted: [FieldSelector.Requirement] = []
        for requirement in selector.requirements {
            guard let label = accepted[requirement.field] else { throw SelectorError(rejection.message(requirement.field)) }
            converted.append(FieldSelector.Requirement(field: label, op: requirement.op, value: requirement.value))
        }
        return FieldSelector(requirements: converted)
    }

    /// The value of field-set `label` in `object`, "" for labels without a source.
    public func value(of label: String, in object: JSONValue) -> String {
        guard let source = sources[label] else { return "" }
        for path in source.paths {
            let value = FieldSelector.fieldValue(path, in: object)
            if !value.isEmpty { return value }
        }
        return source.absent
    }

    /// Whether `object` satisfies every term of a selector already `convert`ed.
    public func matches(_ selector: FieldSelector, _ object: JSONValue) -> Bool {
        selector.requirements.allSatisfy { $0.matches(value(of: $0.field, in: object)) }
    }
}
