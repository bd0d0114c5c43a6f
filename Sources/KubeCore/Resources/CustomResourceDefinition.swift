extension ResourceCatalogue {
    /// The served versions of a CustomResourceDefinition (apiextensions.k8s.io/v1) as resource
    /// descriptions, one per version with `served: true`.
    ///
    /// Reads `spec.group`, `spec.names` (kind, plural, singular, shortNames, categories,
    /// listKind), `spec.scope` and `spec.versions[]` (served, subresources.status/scale,
    /// additionalPrinterColumns, selectableFields). Custom resources are stored under `<group>/<plural>`, as
    /// apiextensions-apiserver keys them. Returns [] for objects missing group, kind or plural.
    public static func customResource(fromCRD crd: JSONValue) -> [ResourceType] {
        guard let spec = crd["spec"], let group = spec["group"]?.string,
              let names = spec["names"], let kind = names["kind"]?.string,
              let plural = names["plural"]?.string else { return [] }
        let singular = names["singular"]?.string.flatMap { $0.isEmpty ? nil : $0 } ?? kind.lowercased()
        let shortNames = names["shortNames"]?.array?.compactMap(\.string) ?? []
        let categories = names["categories"]?.array?.compactMap(\.string) ?? []
        let listKind = names["listKind"]?.string.flatMap { $0.isEmpty ? nil : $0 }
        let namespaced = (spec["scope"]?.string ?? "Namespaced") != "Cluster"
        // v1beta1 CRDs carried subresources and columns at spec level; accept them as defaults.
        let specSubresources = spec["subresources"]
        let specColumns = spec["additionalPrinterColumns"]

        var versions = spec["versions"]?.array ?? []
        if versions.isEmpty, let v = spec["version"]?.string {
            versions = [.object(["name": .string(v), "served": .bool(true), "storage": .bool(true)])]
        }
        return versions.compactMap { v -> ResourceType? in
            guard let name = v["name"]?.string, v["served"] != .bool(false) else { return nil }
            var subresources: [String] = []
            let sub = v["subresources"] ?? specSubresources
            if sub?["status"] != nil { subresources.append("status") }
            if sub?["scale"] != nil { subresources.append("scale") }
            let columnsJSON = (v["additionalPrinterColumns"] ?? specColumns)?.array
            // apiextensions-apiserver (serveDefaultColumnsIfEmpty): a version that declares no
            // columns is served with a single Age column.
            var columns = columnsJSON?.compactMap(PrinterColumn.init(json:)) ?? []
            if columns.isEmpty { columns = [PrinterColumn.age] }
            // apiextensions-apiserver names a selectable field by its JSON path without the dot.
            let selectable = (v["selectableFields"]?.array ?? []).compactMap { field -> String? in
                guard let path = field["jsonPath"]?.string else { return nil }
                return path.hasPrefix(".") ? String(path.dropFirst()) : path
            }
            var resource = ResourceType(
                group: group, version: name, kind: kind, plural: plural, singular: singular,
                shortNames: shortNames, categories: categories, namespaced: namespaced,
                subresources: subresources, storagePrefix: "\(group)/\(plural)", listKind: listKind,
                printerColumns: columns, isCustom: true, selectableFields: selectable)
            // v1beta1 CRDs carried one schema for every version at spec.validation.
            resource.openAPIV3Schema = v["schema"]?["openAPIV3Schema"] ?? spec["validation"]?["openAPIV3Schema"]
            return resource
        }
    }
}
