/// The `meta.k8s.io/v1` Table metrics-server answers `kubectl get nodes.metrics.k8s.io` and
/// `kubectl get pods.metrics.k8s.io` with (its pkg/api/table.go): Name, one quantity column per
/// resource the first item reports (sorted: cpu, memory), and Window. A pod's cells are the sums
/// of its containers'. Without items there are no columns and no rows (Go's nil slices: null).
public enum MetricsTable {
    /// The Table of NodeMetrics or PodMetrics `items`, rows carrying objects as `includeObject` asks.
    public static func table(_ items: [JSONValue], includeObject: IncludeObject = .metadata) -> JSONValue {
        var columns: [JSONValue]?
        var names: [String]?
        var rows: [JSONValue] = []
        for item in items {
            let usage = self.usage(of: item)
            if names == nil {
                let keys = usage.keys.sorted()
                names = keys.isEmpty ? nil : keys
                columns = [column("Name", format: "name", description: "Name of the resource")]
                    + keys.map { column($0, format: "quantity") } + [column("Window", format: "duration")]
            }
            var cells: [JSONValue] = [item["metadata"]?["name"] ?? .string("")]
            for name in names ?? [] { cells.append(.string(usage[name] ?? "0")) }
            cells.append(item["window"] ?? .string("0s"))
            var row: [String: JSONValue] = ["cells": .array(cells)]
            switch includeObject {
            case .none: break
            case .metadata:
                row["object"] = .object([
                    "kind": .string("PartialObjectMetadata"), "apiVersion": .string("meta.k8s.io/v1"),
                    "metadata": item["metadata"] ?? .object([:]),
                ])
            case .object: row["object"] = item
            }
            rows.append(.object(row))
        }
        return .object([
            "kind": .string("Table"),
            "apiVersion": .string("meta.k8s.io/v1"),
            "metadata": .object([:]),
            "columnDefinitions": columns.map(JSONValue.array) ?? .null,
            "rows": rows.isEmpty ? .null : .array(rows),
        ])
    }

    /// An item's usage as canonical quantities: a node's own, a pod's summed over its containers.
    static func usage(of item: JSONValue) -> [String: String] {
        if let usage = item["usage"] {
            return (usage.object ?? [:]).compactMapValues(\.string)
        }
        let total = (item["containers"]?.array ?? []).reduce(ResourceUsage.zero) { $0 + ResourceUsage(json: $1["usage"]) }
        guard !(item["containers"]?.array ?? []).isEmpty else { return [:] }
        return (total.json.object ?? [:]).compactMapValues(\.string)
    }

    /// A column definition as Go serializes one (every member present).
    private static func column(_ name: String, format: String, description: String = "") -> JSONValue {
        .object([
            "name": .string(name), "type": .string("string"), "format": .string(format),
            "description": .string(description), "priority": .integer(0),
        ])
    }
}
