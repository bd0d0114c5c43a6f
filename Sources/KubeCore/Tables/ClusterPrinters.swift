import Foundation

/// Printers for RBAC, scheduling, storage, admission, flow-control, certificates, leases and
/// APIServices, copied from kube-apiserver's pkg/printers/internalversion/printers.go and
/// kube-aggregator's APIService table convertor (1.33).
enum ClusterPrinters {
    typealias F = TableFormat

    /// RoleBindings and ClusterRoleBindings: Name, Role, Age; wide Users, Groups, ServiceAccounts.
    static func binding(_ what: String) -> TablePrinter {
        TablePrinter(
            columns: [.name, TableColumn("Role", description: "RoleRef can only reference a ClusterRole in the global namespace. If the RoleRef cannot be resolved, the Authorizer must return an error."), .age,
                      TableColumn("Users", priority: 1, description: "Users in the \(what)"),
                      TableColumn("Groups", priority: 1, description: "Groups in the \(what)"),
                      TableColumn("ServiceAccounts", priority: 1, description: "ServiceAccounts in the \(what)")],
            cells: { o, now in
                let ref = o["roleRef"]
                // rbac.SubjectsStrings: service accounts as namespace:name.
                var users: [String] = [], groups: [String] = [], sas: [String] = []
                for s in F.arr(o["subjects"]) {
                    switch F.str(s["kind"]) {
                    case "User": users.append(F.str(s["name"]))
                    case "Group": groups.append(F.str(s["name"]))
                    case "ServiceAccount": sas.append("\(F.str(s["namespace"])):\(F.str(s["name"]))")
                    default: continue
                    }
                }
                return [.string(F.name(o)), .string("\(F.str(ref?["kind"]))/\(F.str(ref?["name"]))"), F.age(o, now),
                        .string(users.joined(separator: ", ")), .string(groups.joined(separator: ", ")),
                        .string(sas.joined(separator: ", "))]
            })
    }

    /// CertificateSigningRequests: Name, Age, SignerName, Requestor, RequestedDuration, Condition.
    static let certificateSigningRequest = TablePrinter(
        columns: [.name, .age, TableColumn("SignerName", description: "Requested signer for the request."),
                  TableColumn("Requestor", description: "Name of the user that created the request."),
                  TableColumn("RequestedDuration", description: "expirationSeconds is the requested duration of validity of the issued certificate."),
                  TableColumn("Condition", description: "Conditions applied to the request.")],
        cells: { o, now in
            let spec = o["spec"]
            var approved = false, denied = false, failed = false
            for c in F.arr(o["status"]?["conditions"]) {
                switch F.str(c["type"]) {
                case "Approved": approved = true
                case "Denied": denied = true
                case "Failed": failed = true
                default: break
                }
            }
            var status = denied ? "Denied" : approved ? "Approved" : "Pending"
            if failed { status += ",Failed" }
            if !F.str(o["status"]?["certificate"]).isEmpty { status += ",Issued" }
            let signer = F.str(spec?["signerName"])
            let duration = F.optInt(spec?["expirationSeconds"]).map { HumanDuration.format(TimeInterval($0)) } ?? "<none>"
            return [.string(F.name(o)), F.age(o, now), .string(signer.isEmpty ? "<none>" : signer),
                    .string(F.str(spec?["username"])), .string(duration), .string(status)]
        })

    /// Leases: Name, Holder, Age.
    static let lease = TablePrinter(
        columns: [.name, TableColumn("Holder", description: "holderIdentity contains the identity of the holder of a current lease."), .age],
        cells: { o, now in [.string(F.name(o)), .string(F.str(o["spec"]?["holderIdentity"])), F.age(o, now)] })

    /// StorageClasses: Name (`(default)` suffix), Provisioner, ReclaimPolicy, VolumeBindingMode,
    /// AllowVolumeExpansion, Age.
    static let storageClass = TablePrinter(
        columns: [.name, TableColumn("Provisioner", description: "provisioner indicates the type of the provisioner."),
                  TableColumn("ReclaimPolicy", description: "reclaimPolicy controls the reclaimPolicy for dynamically provisioned PersistentVolumes of this storage class. Defaults to Delete."),
                  TableColumn("VolumeBindingMode", description: "volumeBindingMode indicates how PersistentVolumeClaims should be provisioned and bound.  When unset, VolumeBindingImmediate is used. This field is only honored by servers that enable the VolumeScheduling feature."),
                  TableColumn("AllowVolumeExpansion", description: "allowVolumeExpansion shows whether the storage class allow volume expand."), .age],
        cells: { o, now in
            let ann = o["metadata"]?["annotations"]
            let isDefault = ann?["storageclass.kubernetes.io/is-default-class"]?.string == "true"
                || ann?["storageclass.beta.kubernetes.io/is-default-class"]?.string == "true"
            return [.string(F.name(o) + (isDefault ? " (default)" : "")), .string(F.str(o["provisioner"])),
                    .string(o["reclaimPolicy"]?.string ?? "Delete"), .string(o["volumeBindingMode"]?.string ?? "Immediate"),
                    .bool(F.bool(o["allowVolumeExpansion"])), F.age(o, now)]
        })

    /// PriorityClasses: Name, Value, Global-Default, Age, PreemptionPolicy.
    static let priorityClass = TablePrinter(
        columns: [.name, TableColumn("Value", "integer", description: "value represents the integer value of this priority class. This is the actual priority that pods receive when they have the name of this class in their pod spec."),
                  TableColumn("Global-Default", "boolean", description: "globalDefault specifies whether this PriorityClass should be considered as the default priority for pods that do not have any priority class."),
                  .age,
                  TableColumn("PreemptionPolicy", description: "preemptionPolicy is the Policy for preempting pods with lower priority.")],
        cells: { o, now in
            [.string(F.name(o)), .integer(F.int(o["value"])), .bool(F.bool(o["globalDefault"])), F.age(o, now),
             .string(F.str(o["preemptionPolicy"]))]
        })

    /// RuntimeClasses: Name, Handler, Age.
    static let runtimeClass = TablePrinter(
        columns: [.name, TableColumn("Handler"), .age],
        cells: { o, now in [.string(F.name(o)), .string(F.str(o["handler"])), F.age(o, now)] })

    /// VolumeAttachments: Name, Attacher, PV, Node, Attached, Age.
    static let volumeAttachment = TablePrinter(
        columns: [.name, TableColumn("Attacher", format: "name", description: "attacher indicates the name of the volume driver that MUST handle this request."),
                  TableColumn("PV", description: "persistentVolumeName represents the name of the persistent volume to attach."),
                  TableColumn("Node", description: "nodeName represents the node that the volume should be attached to."),
                  TableColumn("Attached", "boolean", description: "attached indicates the volume is successfully attached."), .age],
        cells: { o, now in
            let spec = o["spec"]
            return [.string(F.name(o)), .string(F.str(spec?["attacher"])), .string(F.str(spec?["source"]?["persistentVolumeName"])),
                    .string(F.str(spec?["nodeName"])), .bool(F.bool(o["status"]?["attached"])), F.age(o, now)]
        })

    /// CSINodes: Name, Drivers, Age.
    static let csiNode = TablePrinter(
        columns: [.name, TableColumn("Drivers", "integer", description: "Drivers indicates the number of CSI drivers registered on the node"), .age],
        cells: { o, now in [.string(F.name(o)), .integer(F.arr(o["spec"]?["drivers"]).count), F.age(o, now)] })

    /// CSIDrivers: Name, AttachRequired, PodInfoOnMount, StorageCapacity, TokenRequests,
    /// RequiresRepublish, Modes, Age.
    static let csiDriver = TablePrinter(
        columns: [.name, TableColumn("AttachRequired", "boolean"), TableColumn("PodInfoOnMount", "boolean"),
                  TableColumn("StorageCapacity", "boolean"), TableColumn("TokenRequests"),
                  TableColumn("RequiresRepublish", "boolean"), TableColumn("Modes"), .age],
        cells: { o, now in
            let spec = o["spec"]
            let attach: Bool = { if case .bool(let b)? = spec?["attachRequired"] { return b }; return true }()
            var tokens = "<unset>"
            if let t = spec?["tokenRequests"]?.array { tokens = t.map { F.str($0["audience"]) }.joined(separator: ",") }
            let modes = F.arr(spec?["volumeLifecycleModes"]).compactMap(\.string).joined(separator: ",")
            return [.string(F.name(o)), .bool(attach), .bool(F.bool(spec?["podInfoOnMount"])), .bool(F.bool(spec?["storageCapacity"])),
                    .string(tokens), .bool(F.bool(spec?["requiresRepublish"])), .string(modes.isEmpty ? "<none>" : modes), F.age(o, now)]
        })

    /// CSIStorageCapacities: Name, StorageClassName, Capacity.
    static let csiStorageCapacity = TablePrinter(
        columns: [.name, TableColumn("StorageClassName"), TableColumn("Capacity")],
        cells: { o, _ in
            [.string(F.name(o)), .string(F.str(o["storageClassName"])),
             .string(F.isSet(o["capacity"]) ? F.scalarText(o["capacity"]) : "<unset>")]
        })

    /// Mutating/ValidatingWebhookConfigurations: Name, Webhooks, Age.
    static let webhookConfiguration = TablePrinter(
        columns: [.name, TableColumn("Webhooks", "integer", description: "Webhooks indicates the number of webhooks registered in this configuration"), .age],
        cells: { o, now in [.string(F.name(o)), .integer(F.arr(o["webhooks"]).count), F.age(o, now)] })

    /// ValidatingAdmissionPolicies: Name, Validations, ParamKind, Age.
    static let validatingAdmissionPolicy = TablePrinter(
        columns: [.name, TableColumn("Validations", "integer", description: "Validations indicates the number of validation rules defined in this configuration"),
                  TableColumn("ParamKind", description: "ParamKind specifies the kind of resources used to parameterize this policy"), .age],
        cells: { o, now in
            var paramKind = "<unset>"
            if let pk = o["spec"]?["paramKind"], pk != .null { paramKind = "\(F.str(pk["apiVersion"]))/\(F.str(pk["kind"]))" }
            return [.string(F.name(o)), .integer(F.arr(o["spec"]?["validations"]).count), .string(paramKind), F.age(o, now)]
        })

    /// ValidatingAdmissionPolicyBindings: Name, PolicyName, ParamRef, Age.
    static let validatingAdmissionPolicyBinding = TablePrinter(
        columns: [.name, TableColumn("PolicyName", description: "PolicyName indicates the policy definition which the policy binding binded to"),
                  TableColumn("ParamRef", description: "ParamRef indicates the param resource which sets the configration param"), .age],
        cells: { o, now in
            var param = "<unset>"
            if let pr = o["spec"]?["paramRef"], pr != .null {
                let name = F.str(pr["name"]), ns = F.str(pr["namespace"])
                if !name.isEmpty {
                    param = ns.isEmpty ? "*/\(name)" : "\(ns)/\(name)"
                } else if F.isSet(pr["selector"]) {
                    param = F.selectorString(pr["selector"])
                }
            }
            return [.string(F.name(o)), .string(F.str(o["spec"]?["policyName"])), .string(param), F.age(o, now)]
        })

    /// FlowSchemas: Name, PriorityLevel, MatchingPrecedence, DistinguisherMethod, Age, MissingPL.
    static let flowSchema = TablePrinter(
        columns: [.name, TableColumn("PriorityLevel", description: "`name` is the name of the priority level configuration being referenced Required."),
                  TableColumn("MatchingPrecedence", description: "`matchingPrecedence` is used to choose among the FlowSchemas that match a given request."),
                  TableColumn("DistinguisherMethod", description: "`distinguisherMethod` defines how to compute the flow distinguisher for requests that match this schema."),
                  .age, TableColumn("MissingPL", description: "references a broken or non-existent PriorityLevelConfiguration")],
        cells: { o, now in
            let spec = o["spec"]
            let method = spec?["distinguisherMethod"]?["type"]?.string ?? "<none>"
            let dangling = F.arr(o["status"]?["conditions"]).first { F.str($0["type"]) == "Dangling" }.map { F.str($0["status"]) } ?? "?"
            return [.string(F.name(o)), .string(F.str(spec?["priorityLevelConfiguration"]?["name"])),
                    .integer(F.int(spec?["matchingPrecedence"])), .string(method), F.age(o, now), .string(dangling)]
        })

    /// PriorityLevelConfigurations: Name, Type, NominalConcurrencyShares, Queues, HandSize,
    /// QueueLengthLimit, Age (`<none>` where not limited or not queuing).
    static let priorityLevelConfiguration = TablePrinter(
        columns: [.name, TableColumn("Type"), TableColumn("NominalConcurrencyShares"), TableColumn("Queues"),
                  TableColumn("HandSize"), TableColumn("QueueLengthLimit"), .age],
        cells: { o, now in
            let spec = o["spec"]
            var ncs: JSONValue = .string("<none>"), queues: JSONValue = .string("<none>")
            var hand: JSONValue = .string("<none>"), limit: JSONValue = .string("<none>")
            if let limited = spec?["limited"], limited != .null {
                ncs = .integer(F.int(limited["nominalConcurrencyShares"]))
                if let q = limited["limitResponse"]?["queuing"], q != .null {
                    queues = .integer(F.int(q["queues"]))
                    hand = .integer(F.int(q["handSize"]))
                    limit = .integer(F.int(q["queueLengthLimit"]))
                }
            }
            return [.string(F.name(o)), .string(F.str(spec?["type"])), ncs, queues, hand, limit, F.age(o, now)]
        })

    /// APIServices (kube-aggregator's convertor): Name, Service, Available, Age.
    static let apiService = TablePrinter(
        columns: [.name, TableColumn("Service", description: "The reference to the service that hosts this API endpoint."),
                  TableColumn("Available", description: "Whether this service is available."), .age],
        cells: { o, now in
            var service = "Local"
            if let s = o["spec"]?["service"], s != .null { service = "\(F.str(s["namespace"]))/\(F.str(s["name"]))" }
            var available = "Unknown"
            if let c = F.arr(o["status"]?["conditions"]).first(where: { F.str($0["type"]) == "Available" }) {
                let status = F.str(c["status"]), reason = F.str(c["reason"])
                available = status == "True" || reason.isEmpty ? status : "\(status) (\(reason))"
            }
            return [.string(F.name(o)), .string(service), .string(available), F.age(o, now)]
        })

    /// kube's default table convertor, for kinds without a printer (Roles, ClusterRoles, CRDs,
    /// LimitRanges …): Name and a `date` Created At in RFC 3339.
    static let generic = TablePrinter(
        columns: [.name, TableColumn("Created At", "date", description: TableColumn.ageDescription)],
        cells: { o, _ in [.string(F.name(o)), F.createdAt(o)] })
}
