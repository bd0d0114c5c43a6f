/// One `columnDefinitions` entry of a `meta.k8s.io/v1` Table.
public struct TableColumn: Sendable, Hashable {
    /// The header, e.g. `Ready`; kubectl upper-cases it.
    public var name: String
    /// OpenAPI type: `string`, `integer`, `number`, `boolean` or `date`.
    public var type: String
    /// Format hint; `name` marks the column kubectl treats as the object name.
    public var format: String
    /// Human-readable description.
    public var description: String
    /// 0 for default output, 1 for columns only `-o wide` shows.
    public var priority: Int

    /// Creates a column.
    public init(_ name: String, _ type: String = "string", format: String = "", priority: Int = 0, description: String = "") {
        self.name = name
        self.type = type
        self.format = format
        self.priority = priority
        self.description = description
    }

    /// The JSON form; every field is present, as Go serializes TableColumnDefinition.
    public var json: JSONValue {
        .object([
            "name": .string(name), "type": .string(type), "format": .string(format),
            "description": .string(description), "priority": .integer(priority),
        ])
    }

    /// Description of `metadata.name` (ObjectMeta swagger doc), used by every Name column.
    static let nameDescription = "Name must be unique within a namespace. Is required when creating resources, although some resources may allow a client to request the generation of an appropriate name automatically. Name is primarily intended for creation idempotence and configuration definition. Cannot be updated. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/names#names"
    /// Description of `metadata.creationTimestamp`, used by every Age and Created At column.
    static let ageDescription = "CreationTimestamp is a timestamp representing the server time when this object was created. It is not guaranteed to be set in happens-before order across separate operations. Clients may not set this value. It is represented in RFC3339 form and is in UTC.\n\nPopulated by the system. Read-only. Null for lists. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata"

    /// The first column of nearly every printer.
    static let name = TableColumn("Name", format: "name", description: nameDescription)
    /// The Age column.
    static let age = TableColumn("Age", description: ageDescription)
    /// `-o wide` container names.
    static let containers = TableColumn("Containers", priority: 1, description: "Names of each container in the template.")
    /// `-o wide` container images.
    static let images = TableColumn("Images", priority: 1, description: "Images referenced by each container in the template.")
    /// `-o wide` label selector.
    static let selector = TableColumn("Selector", priority: 1, description: "Label selector for pods. Existing ReplicaSets whose pods are selected by this will be the ones affected by this deployment.")
}

/// How one kind of object becomes Table rows: its columns and a function from object to cells.
///
/// Cells follow kube-apiserver, which always prints with `Wide: true`: every column, priority 1
/// included, has a cell; kubectl hides the wide ones itself.
struct TablePrinter: Sendable {
    /// The column definitions.
    var columns: [TableColumn]
    /// The cells of one object at a given time (ages are relative to it).
    var cells: @Sendable (JSONValue, Date) -> [JSONValue]
    /// Optional row conditions (kube marks finished pods `Completed`).
    var conditions: @Sendable (JSONValue) -> [JSONValue] = { _ in [] }
}

import Foundation
