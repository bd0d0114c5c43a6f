import Foundation

/// Renders objects as a `meta.k8s.io/v1` Table, the answer to
/// `Accept: application/json;as=Table;v=v1;g=meta.k8s.io` that `kubectl get` sends.
///
/// Columns and cells copy kube-apiserver's printers for built-in kinds, the CRD version's
/// `additionalPrinterColumns` for custom resources, and kube's default convertor (Name,
/// Created At) for everything else.
public enum TableRenderer {
    /// A Table of `objects` (one row each, in order).
    ///
    /// - Parameters:
    ///   - includeObject: what each row's `object` holds; `.metadata` by default, as kube.
    ///   - now: the reference time for ages.
    ///   - listMeta: the list's `metadata` (`resourceVersion`, `continue`,
    ///     `remainingItemCount`), copied to the Table's metadata.
    ///   - includeColumnDefinitions: false leaves `columnDefinitions` empty (kube's internal
    ///     `noHeaders` option).
    public static func table(
        for type: ResourceType, objects: [JSONValue], includeObject: IncludeObject = .metadata,
        now: Date = Date(), listMeta: JSONValue? = nil, includeColumnDefinitions: Bool = true
    ) -> JSONValue {
        let printer = printer(for: type)
        let rows = objects.map { row($0, printer: printer, type: type, includeObject: includeObject, now: now) }
        var metadata: [String: JSONValue] = [:]
        for (k, v) in listMeta?.object ?? [:] where v != .null && v != .string("") { metadata[k] = v }
        return .object([
            "kind": .string("Table"),
            "apiVersion": .string("meta.k8s.io/v1"),
            "metadata": .object(metadata),
            "columnDefinitions": .array(includeColumnDefinitions ? printer.columns.map(\.json) : []),
            "rows": .array(rows),
        ])
    }

    /// The Table for one watch event's object: kube-apiserver converts every event's object
    /// separately, each a full Table with column definitions and one row; kubectl prints the
    /// headers once. The Table's metadata carries the object's resourceVersion.
    public static func watchEventTable(
        for type: ResourceType, object: JSONValue, includeObject: IncludeObject = .metadata, now: Date = Date()
    ) -> JSONValue {
        var listMeta: JSONValue?
        if let rv = object["metadata"]?["resourceVersion"] { listMeta = .object(["resourceVersion": rv]) }
        return table(for: type, objects: [object], includeObject: includeObject, now: now, listMeta: listMeta)
    }

    /// The column definitions used for a resource.
    public static func columns(for type: ResourceType) -> [TableColumn] { printer(for: type).columns }

    /// The cells of one object's row, one per column (wide columns included).
    public static func cells(for type: ResourceType, object: JSONValue, now: Date = Date()) -> [JSONValue] {
        printer(for: type).cells(object, now)
    }

    /// One row: cells, optional conditions, and the object as requested.
    static func row(_ o: JSONValue, printer: TablePrinter, type: ResourceType, includeObject: IncludeObject, now: Date) -> JSONValue {
        var row: [String: JSONValue] = ["cells": .array(printer.cells(o, now))]
        let conditions = printer.conditions(o)
        if !conditions.isEmpty { row["conditions"] = .array(conditions) }
        switch includeObject {
        case .none:
            break
        case .metadata:
            row["object"] = .object([
                "kind": .string("PartialObjectMetadata"),
                "apiVersion": .string("meta.k8s.io/v1"),
                "metadata": o["metadata"] ?? .object([:]),
            ])
        case .object:
            // Stored objects may lack their type fields; the row carries the served ones.
            var full = o
            if full["kind"] == nil { full["kind"] = .string(type.kind) }
            if full["apiVersion"] == nil { full["apiVersion"] = .string(type.apiVersion) }
            row["object"] = full
        }
        return .object(row)
    }

    /// The printer for a resource: CRD columns, a built-in printer, or kube's default.
    static func printer(for type: ResourceType) -> TablePrinter {
        if type.isCustom { return CustomResourcePrinter.printer(type.printerColumns) }
        return builtinPrinters[type.group + "/" + type.kind] ?? ClusterPrinters.generic
    }

    /// Built-in printers by `<group>/<Kind>`.
    static let builtinPrinters: [String: TablePrinter] = [
        "/Pod": WorkloadPrinters.pod,
        "/PodTemplate": WorkloadPrinters.podTemplate,
        "/ReplicationController": WorkloadPrinters.replicationController,
        "apps/Deployment": WorkloadPrinters.deployment,
        "apps/ReplicaSet": WorkloadPrinters.replicaSet,
        "apps/DaemonSet": WorkloadPrinters.daemonSet,
        "apps/StatefulSet": WorkloadPrinters.statefulSet,
        "apps/ControllerRevision": WorkloadPrinters.controllerRevision,
        "batch/Job": WorkloadPrinters.job,
        "batch/CronJob": WorkloadPrinters.cronJob,
        "autoscaling/HorizontalPodAutoscaler": WorkloadPrinters.horizontalPodAutoscaler,
        "policy/PodDisruptionBudget": WorkloadPrinters.podDisruptionBudget,
        "/Namespace": CorePrinters.namespace,
        "/Node": CorePrinters.node,
        "/Service": CorePrinters.service,
        "/Endpoints": CorePrinters.endpoints,
        "/ConfigMap": CorePrinters.configMap,
        "/Secret": CorePrinters.secret,
        "/ServiceAccount": CorePrinters.serviceAccount,
        "/Event": CorePrinters.event,
        "events.k8s.io/Event": CorePrinters.event,
        "/PersistentVolume": CorePrinters.persistentVolume,
        "/PersistentVolumeClaim": CorePrinters.persistentVolumeClaim,
        "/ResourceQuota": CorePrinters.resourceQuota,
        "discovery.k8s.io/EndpointSlice": CorePrinters.endpointSlice,
        "networking.k8s.io/Ingress": CorePrinters.ingress,
        "networking.k8s.io/IngressClass": CorePrinters.ingressClass,
        "networking.k8s.io/NetworkPolicy": CorePrinters.networkPolicy,
        "networking.k8s.io/ServiceCIDR": CorePrinters.serviceCIDR,
        "networking.k8s.io/IPAddress": CorePrinters.ipAddress,
        "rbac.authorization.k8s.io/RoleBinding": ClusterPrinters.binding("roleBinding"),
        "rbac.authorization.k8s.io/ClusterRoleBinding": ClusterPrinters.binding("clusterRoleBinding"),
        "certificates.k8s.io/CertificateSigningRequest": ClusterPrinters.certificateSigningRequest,
        "coordination.k8s.io/Lease": ClusterPrinters.lease,
        "storage.k8s.io/StorageClass": ClusterPrinters.storageClass,
        "storage.k8s.io/VolumeAttachment": ClusterPrinters.volumeAttachment,
        "storage.k8s.io/CSINode": ClusterPrinters.csiNode,
        "storage.k8s.io/CSIDriver": ClusterPrinters.csiDriver,
        "storage.k8s.io/CSIStorageCapacity": ClusterPrinters.csiStorageCapacity,
        "scheduling.k8s.io/PriorityClass": ClusterPrinters.priorityClass,
        "node.k8s.io/RuntimeClass": ClusterPrinters.runtimeClass,
        "admissionregistration.k8s.io/MutatingWebhookConfiguration": ClusterPrinters.webhookConfiguration,
        "admissionregistration.k8s.io/ValidatingWebhookConfiguration": ClusterPrinters.webhookConfiguration,
        "admissionregistration.k8s.io/ValidatingAdmissionPolicy": ClusterPrinters.validatingAdmissionPolicy,
        "admissionregistration.k8s.io/ValidatingAdmissionPolicyBinding": ClusterPrinters.validatingAdmissionPolicyBinding,
        "flowcontrol.apiserver.k8s.io/FlowSchema": ClusterPrinters.flowSchema,
        "flowcontrol.apiserver.k8s.io/PriorityLevelConfiguration": ClusterPrinters.priorityLevelConfiguration,
        "apiregistration.k8s.io/APIService": ClusterPrinters.apiService,
    ]
}
