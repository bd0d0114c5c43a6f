/// One `additionalPrinterColumns` entry of a CustomResourceDefinition version: a Table column
/// whose cells come from a simple JSONPath into each object.
public struct PrinterColumn: Sendable, Hashable {
    /// The column header, e.g. `Replicas`.
    public var name: String
    /// The OpenAPI type: `integer`, `number`, `string`, `boolean` or `date`.
    public var type: String
    /// An optional OpenAPI format hint such as `name` or `int32`; empty when unset.
    public var format: String
    /// Human-readable description; empty when unset (the Table then carries kube's default text).
    public var description: String
    /// 0 for normal output, higher for columns shown only with `-o wide`.
    public var priority: Int
    /// The JSONPath evaluated against each object, e.g. `.spec.replicas`.
    public var jsonPath: String

    /// Creates a column description.
    public init(name: String, type: String, format: String = "", description: String = "", priority: Int = 0, jsonPath: String) {
        self.name = name
        self.type = type
        self.format = format
        self.description = description
        self.priority = priority
        self.jsonPath = jsonPath
    }

    /// The column kube-apiserver defaults onto a CRD version that declares none: the object's age.
    public static let age = PrinterColumn(name: "Age", type: "date", jsonPath: ".metadata.creationTimestamp")

    /// Reads one `additionalPrinterColumns` item; nil when `name`, `type` or `jsonPath` is missing.
    public init?(json: JSONValue) {
        guard let name = json["name"]?.string, let type = json["type"]?.string,
              let path = json["jsonPath"]?.string ?? json["JSONPath"]?.string else { return nil }
        var priority = 0
        if case .integer(let p)? = json["priority"] { priority = p }
        self.init(name: name, type: type, format: json["format"]?.string ?? "",
                  description: json["description"]?.string ?? "", priority: priority, jsonPath: path)
    }
}
