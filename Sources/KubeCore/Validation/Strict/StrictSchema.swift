/// The shape of an object's fields as kube-apiserver's strict decoding sees them: which members
/// an object declares, which values are maps or lists, and where anything goes. It is what Go's
/// typed decoding into kube's structs knows, taken from the OpenAPI definitions, compiled once
/// into a flat table so checking a request costs a dictionary look-up per member.
public struct StrictSchema: Sendable {
    /// One schema node.
    enum Node: Sendable {
        /// Anything is accepted below here (`RawExtension`, `FieldsV1`, `JSON`, preserved unknown fields).
        case open
        /// An object with declared members, each a node index; `preservesUnknown` when others
        /// are kept too (`x-kubernetes-preserve-unknown-fields` beside `properties`).
        case object([String: Int], preservesUnknown: Bool)
        /// A map from any key to values of one node.
        case map(Int)
        /// A list of items of one node; `keys` are its `x-kubernetes-list-map-keys`.
        case list(Int, keys: [String])
        /// A string, number or boolean: nothing below it to check.
        case scalar
        /// A `resource.Quantity`, whose text must parse when the object is decoded.
        case quantity
    }

    let table: StrictSchemaTable
    let root: Int

    /// The node at `index`.
    func node(_ index: Int) -> Node { table.nodes[index] }

    /// The schema of a built-in kind, nil for a kind without a definition (custom resources).
    public static func builtIn(group: String, version: String, kind: String) -> StrictSchema? {
        let table = StrictSchemaTable.builtIns
        guard let root = table.roots["\(group)/\(version)/\(kind)"] else { return nil }
        return StrictSchema(table: table, root: root)
    }

    /// The schema of a built-in resource type, nil for custom resources.
    public static func builtIn(_ type: ResourceType) -> StrictSchema? {
        builtIn(group: type.group, version: type.version, kind: type.kind)
    }

    /// The schema an OpenAPI v3 schema describes, on its own.
    public init(openAPIV3Schema schema: JSONValue) {
        var builder = StrictSchemaTable.Builder(definitions: [:])
        let root = builder.compile(schema)
        self.table = StrictSchemaTable(nodes: builder.nodes, roots: [:])
        self.root = root
    }

    /// The schema of a custom resource whose CRD version declares `schema`: its
    /// `openAPIV3Schema`, with `apiVersion`, `kind` and an ObjectMeta `metadata` at the root
    /// and in embedded resources, which kube-apiserver always decodes as typed.
    public init(customResource schema: JSONValue) {
        var builder = StrictSchemaTable.Builder(definitions: KubeOpenAPIDefinitions.all, embedsResources: true)
        var rooted = schema
        rooted["x-kubernetes-embedded-resource"] = .bool(true)
        if rooted["type"] == nil { rooted["type"] = .string("object") }
        let root = builder.compile(rooted)
        self.table = StrictSchemaTable(nodes: builder.nodes, roots: [:])
        self.root = root
    }

    init(table: StrictSchemaTable, root: Int) {
        self.table = table
        self.root = root
    }
}

/// Compiled schema nodes, shared by every schema built from one set of definitions.
final class StrictSchemaTable: Sendable {
    let nodes: [StrictSchema.Node]
    /// Root node by `group/version/kind`.
    let roots: [String: Int]

    init(nodes: [StrictSchema.Node], roots: [String: Int]) {
        self.nodes = nodes
        self.roots = roots
    }

    /// Every built-in kind of kube-apiserver 1.33, from ``KubeOpenAPIDefinitions``.
    static let builtIns: StrictSchemaTable = {
        let definitions = KubeOpenAPIDefinitions.all
        var builder = Builder(definitions: definitions)
        var roots: [String: Int] = [:]
        for (name, definition) in definitions.sorted(by: { $0.key < $1.key }) {
            for gvk in definition["x-kubernetes-group-version-kind"]?.array ?? [] {
                let key = "\(gvk["group"]?.string ?? "")/\(gvk["version"]?.string ?? "")/\(gvk["kind"]?.string ?? "")"
                roots[key] = builder.definition(name)
            }
        }
        return StrictSchemaTable(nodes: builder.nodes, roots: roots)
    }()

    /// Turns schemas into nodes; a definition is compiled once however often it is referred to.
    struct Builder {
        let definitions: [String: JSONValue]
        /// Whether embedded resources get typed ObjectMeta (custom resources) or an open one.
        let embedsResources: Bool
        var nodes: [StrictSchema.Node] = []
        var byDefinition: [String: Int] = [:]

        init(definitions: [String: JSONValue], embedsResources: Bool = false) {
            self.definitions = definitions
            self.embedsResources = embedsResources
        }

        static let objectMeta = "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"
        static let quantity = "io.k8s.apimachinery.pkg.api.resource.Quantity"

        mutating func definition(_ name: String) -> Int {
            if let index = byDefinition[name] { return index }
            let index = nodes.count
            nodes.append(.open)
            byDefinition[name] = index
            if name == Self.quantity {
                nodes[index] = .quantity
            } else if let schema = definitions[name] {
                nodes[index] = shape(schema)
            }
            return index
        }

        mutating func compile(_ schema: JSONValue) -> Int {
            if let ref = Self.reference(schema) { return definition(ref) }
            let index = nodes.count
            nodes.append(.open)
            nodes[index] = shape(schema)
            return index
        }

        private mutating func shape(_ schema: JSONValue) -> StrictSchema.Node {
            let preserves = schema["x-kubernetes-preserve-unknown-fields"]?.bool == true
            let embedded = embedsResources && schema["x-kubernetes-embedded-resource"]?.bool == true
            if let properties = schema["properties"]?.object ?? (embedded ? [:] : nil) {
                var members: [String: Int] = [:]
                for (name, member) in properties { members[name] = compile(member) }
                if embedded {
                    members["apiVersion"] = scalarNode()
                    members["kind"] = scalarNode()
                    members["metadata"] = definitions[Self.objectMeta] != nil ? definition(Self.objectMeta) : openNode()
                }
                return .object(members, preservesUnknown: preserves)
            }
            if preserves { return .open }
            if let additional = schema["additionalProperties"] {
                if case .object = additional { return .map(compile(additional)) }
                return .open
            }
            switch schema["type"]?.string {
            case "array":
                let keys = (schema["x-kubernetes-list-map-keys"]?.array ?? []).compactMap(\.string)
                return .list(schema["items"].map { compile($0) } ?? openNode(), keys: keys)
            case "string", "integer", "number", "boolean":
                return .scalar
            default:
                return .open
            }
        }

        private mutating func openNode() -> Int {
            nodes.append(.open)
            return nodes.count - 1
        }

        private mutating func scalarNode() -> Int {
            nodes.append(.scalar)
            return nodes.count - 1
        }

        /// The definition a `$ref` (or a one-element `allOf` of one) names.
        private static func reference(_ schema: JSONValue) -> String? {
            let ref = schema["$ref"]?.string ?? schema["allOf"]?.array?.first?["$ref"]?.string
            guard let ref else { return nil }
            for prefix in ["#/definitions/", "#/components/schemas/"] where ref.hasPrefix(prefix) {
                return String(ref.dropFirst(prefix.count))
            }
            return nil
        }
    }
}
