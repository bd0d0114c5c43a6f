/// `validateServicePort` and the port checks of `ValidateService` (names, numbers,
/// protocols, target ports, app protocols, duplicates).
enum ServicePortValidation {
    /// `IsValidPortNum`'s message.
    static let portRangeMessage = "must be between 1 and 65535, inclusive"
    /// The protocols a port may use, as `sets.List` sorts them.
    static let protocols = ["SCTP", "TCP", "UDP"]

    /// `validateServicePort` for the port at `path`; `names` collects the names seen so far.
    static func errors(_ port: JSONValue, requireName: Bool, names: inout Set<String>, _ path: FieldPath) -> [FieldError] {
        var errors: [FieldError] = []
        let name = port["name"]?.string ?? ""
        if requireName, name.isEmpty {
            errors.append(FieldError(path.child("name"), .required(detail: "")))
        } else if !name.isEmpty {
            if let problem = NameValidation.dnsLabelProblem(name) {
                errors.append(FieldError(path.child("name"), .invalid(value: .string(name), detail: problem)))
            }
            if !names.insert(name).inserted {
                errors.append(FieldError(path.child("name"), .duplicate(value: .string(name))))
            }
        }
        let number = port["port"]?.int ?? 0
        if !(1...65535).contains(number) {
            errors.append(FieldError(path.child("port"), .invalid(value: .int(number), detail: portRangeMessage)))
        }
        let proto = port["protocol"]?.string ?? ""
        if proto.isEmpty {
            errors.append(FieldError(path.child("protocol"), .required(detail: "")))
        } else if !protocols.contains(proto) {
            errors.append(FieldError(path.child("protocol"), .notSupported(value: .string(proto), supported: protocols)))
        }
        errors += portNumOrNameErrors(port["targetPort"], path.child("targetPort"))
        if let appProtocol = port["appProtocol"]?.string {
            errors += LabelValidation.keyErrors(appProtocol).map { FieldError(path.child("appProtocol"), .invalid(value: .string(appProtocol), detail: $0)) }
        }
        return errors
    }

    /// `ValidatePortNumOrName`: a port number, or an IANA service name (`IsValidPortName`).
    static func portNumOrNameErrors(_ value: JSONValue?, _ path: FieldPath) -> [FieldError] {
        switch value {
        case .string(let name)?:
            return portNameProblems(name).map { FieldError(path, .invalid(value: .string(name), detail: $0)) }
        default:
            let number = value?.int ?? 0
            return (1...65535).contains(number) ? [] : [FieldError(path, .invalid(value: .int(number), detail: portRangeMessage))]
        }
    }

    /// `IsValidPortName`'s messages.
    static func portNameProblems(_ name: String) -> [String] {
        var problems: [String] = []
        if name.count > 15 { problems.append("must be no more than 15 characters") }
        if name.range(of: "^[-a-z0-9]+$", options: .regularExpression) == nil {
            problems.append("must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)")
        }
        if name.range(of: "[a-z]", options: .regularExpression) == nil {
            problems.append("must contain at least one letter (a-z)")
        }
        if name.contains("--") { problems.append("must not contain consecutive hyphens") }
        if name.hasPrefix("-") || name.hasSuffix("-") { problems.append("must not begin or end with a hyphen") }
        return problems
    }

    /// The duplicate (protocol, port) key as `%#v` prints the `core.ServicePort` holding it.
    static func duplicateKeyShown(_ port: JSONValue) -> String {
        let proto = goQuoted(port["protocol"]?.string ?? "")
        let number = port["port"]?.int ?? 0
        return "core.ServicePort{Name:\"\", Protocol:\(proto), AppProtocol:(*string)(nil), Port:\(number), TargetPort:intstr.IntOrString{Type:0, IntVal:0, StrVal:\"\"}, NodePort:0}"
    }
}
