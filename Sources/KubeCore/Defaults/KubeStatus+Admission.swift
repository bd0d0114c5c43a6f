extension KubeStatus {
    /// 403 from an admission plugin (`admission.NewForbidden`): `pods "web" is forbidden: <why>`.
    /// `name` is the object's name, or its generateName prefix before one is generated.
    public static func admissionForbidden(_ resource: ResourceType, name: String, _ why: String) -> KubeStatus {
        let subject = name.isEmpty ? resource.qualifiedName : "\(resource.qualifiedName) \"\(name)\""
        return KubeStatus(code: 403, reason: "Forbidden", message: "\(subject) is forbidden: \(why)",
                          details: details(resource, name: name))
    }

    /// The name admission plugins report for an object being created: its name, else its
    /// generateName prefix (names are generated after admission), else `Unknown`.
    public static func admissionName(_ object: JSONValue) -> String {
        let meta = object["metadata"]
        for key in ["name", "generateName"] {
            if let text = meta?[key]?.string, !text.isEmpty { return text }
        }
        return "Unknown"
    }
}
