/// One kind of object the API serves: where it lives in the URL space, in discovery and in etcd.
///
/// The same description drives routing, discovery documents, Table output and the /registry key
/// layout, so a resource added here is served consistently everywhere.
public struct ResourceType: Sendable, Hashable {
    /// The API group; empty for the legacy core group (`/api/v1`).
    public var group: String
    /// The served version, e.g. `v1`.
    public var version: String
    /// The object kind, e.g. `Deployment`.
    public var kind: String
    /// The resource name in URLs (lower-case plural), e.g. `deployments`.
    public var plural: String
    /// The lower-case singular name, e.g. `deployment`.
    public var singular: String
    /// Short names kubectl accepts, e.g. `deploy`.
    public var shortNames: [String]
    /// Categories such as `all`.
    public var categories: [String]
    /// Whether objects live in a namespace.
    public var namespaced: Bool
    /// Verbs as discovery lists them.
    public var verbs: [String]
    /// Subresources served under an object, e.g. `status`, `scale`, `log`, `exec`.
    public var subresources: [String]
    /// The key prefix under `/registry`, without slashes at either end: `services/specs`,
    /// `minions` for nodes, `apiextensions.k8s.io/customresourcedefinitions`, `<group>/<plural>`
    /// for custom resources — where kube-apiserver keeps them.
    public var storagePrefix: String
    /// The kind of a list of these objects: `<Kind>List` unless a CRD names another
    /// (`spec.names.listKind`).
    public var listKind: String
    /// Table columns declared by a CRD version (`additionalPrinterColumns`); empty for built-ins,
    /// whose columns come from `TableRenderer`'s copies of kube-apiserver's printers.
    public var printerColumns: [PrinterColumn]
    /// Whether this is a custom resource (served from a CRD): decides JSON merge patch instead of
    /// strategic merge patch, and CRD-style Tables.
    public var isCustom: Bool
    /// Field selector labels a CRD version declares (`selectableFields[].jsonPath` without its
    /// leading dot, e.g. `spec.color`), beside `metadata.name` and `metadata.namespace`; empty
    /// for built-ins, whose labels come from `FieldLabels`.
    public var selectableFields: [String]
    /// A custom resource version's `schema.openAPIV3Schema`, as its CRD declares it; nil for
    /// built-ins (whose schemas are ``KubeOpenAPIDefinitions``) and for CRDs without one.
    public var openAPIV3Schema: JSONValue?

    /// Creates a resource description; `storagePrefix` defaults to kube-apiserver's rule for
    /// resources without a special case (the plural).
    public init(
        group: String, version: String, kind: String, plural: String, singular: String? = nil,
        shortNames: [String] = [], categories: [String] = [], namespaced: Bool,
        verbs: [String] = ResourceType.allVerbs, subresources: [String] = [], storagePrefix: String? = nil,
        listKind: String? = nil, printerColumns: [PrinterColumn] = [], isCustom: Bool = false,
        selectableFields: [String] = []
    ) {
        self.group = group
        self.version = version
        self.kind = kind
        self.plural = plural
        self.singular = singular ?? kind.lowercased()
        self.shortNames = shortNames
        self.categories = categories
        self.namespaced = namespaced
        self.verbs = verbs
        self.subresources = subresources
        self.storagePrefix = storagePrefix ?? plural
        self.listKind = listKind ?? kind + "List"
        self.printerColumns = printerColumns
        self.isCustom = isCustom
        self.selectableFields = selectableFields
    }

    /// The verbs of an ordinary read-write resource.
    public static let allVerbs = ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"]

    /// `v1` for the core group, `<group>/<version>` otherwise: the objects' `apiVersion`.
    public var apiVersion: String { group.isEmpty ? version : "\(group)/\(version)" }

    /// Whether objects are kept in storage: false for create-only virtual resources such as
    /// `tokenreviews`, `selfsubjectaccessreviews` and `bindings`, which kube-apiserver answers
    /// without writing anything.
    public var isStored: Bool { verbs.contains("get") || verbs.contains("list") }

    /// `Namespaced` or `Cluster`, as aggregated discovery and CRDs spell the scope.
    public var scope: String { namespaced ? "Namespaced" : "Cluster" }

    /// `pods` or `deployments.apps`: how error messages and RBAC name the resource.
    public var qualifiedName: String { group.isEmpty ? plural : "\(plural).\(group)" }

    /// The etcd key of one object (`/registry/<prefix>/<namespace>/<name>` or
    /// `/registry/<prefix>/<name>`), below the given storage root (kube-apiserver's
    /// `--etcd-prefix`, `/registry` by default).
    public func key(root: String = "/registry", namespace: String?, name: String) -> String {
        if namespaced, let namespace { return "\(root)/\(storagePrefix)/\(namespace)/\(name)" }
        return "\(root)/\(storagePrefix)/\(name)"
    }

    /// The key prefix of a list: every object, or those of one namespace. Ends with `/`.
    public func listPrefix(root: String = "/registry", namespace: String?) -> String {
        if namespaced, let namespace { return "\(root)/\(storagePrefix)/\(namespace)/" }
        return "\(root)/\(storagePrefix)/"
    }
}
