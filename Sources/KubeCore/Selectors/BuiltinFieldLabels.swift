/// The built-in kinds that register a field label conversion of their own in kube-apiserver 1.33,
/// with the field sets their registries match against. Every other built-in resource gets
/// `FieldLabels.metadataOnly` — including all of apps/v1 (a ReplicaSet's `status.replicas` is
/// rejected: apps/v1 registers no conversion, unlike the old extensions/v1beta1) and CronJobs.
///
/// Accepted labels: `pkg/apis/core/v1/conversion.go`, `pkg/apis/events/v1/conversion.go`,
/// `pkg/apis/batch/v1/conversion.go`, `pkg/apis/certificates/v1/conversion.go`. Values:
/// each kind's `ToSelectableFields` in `pkg/registry/...`.
enum BuiltinFieldLabels {
    /// Where a resource is served: the table is keyed by group and plural, as requests name it.
    struct Key: Hashable {
        var group: String
        var plural: String
    }

    /// Core and events.k8s.io Events share one registry, whose field set uses the core names;
    /// Ketch keeps each Event in the shape it was written, so every value is read from either.
    static let eventFields: [String: FieldLabels.Source] = [
        "involvedObject.kind": .init("involvedObject.kind", "regarding.kind"),
        "involvedObject.namespace": .init("involvedObject.namespace", "regarding.namespace"),
        "involvedObject.name": .init("involvedObject.name", "regarding.name"),
        "involvedObject.uid": .init("involvedObject.uid", "regarding.uid"),
        "involvedObject.apiVersion": .init("involvedObject.apiVersion", "regarding.apiVersion"),
        "involvedObject.resourceVersion": .init("involvedObject.resourceVersion", "regarding.resourceVersion"),
        "involvedObject.fieldPath": .init("involvedObject.fieldPath", "regarding.fieldPath"),
        "reason": .init("reason"),
        "reportingComponent": .init("reportingComponent", "reportingController"),
        // `source` is the source component, or the reporting controller when there is none.
        "source": .init("source.component", "deprecatedSource.component", "reportingComponent", "reportingController"),
        "type": .init("type"),
    ]

    static let rules: [Key: FieldLabels] = [
        Key(group: "", plural: "pods"): FieldLabels(
            namespaceLabel: true,
            fields: [
                "spec.nodeName": .init("spec.nodeName"),
                "spec.restartPolicy": .init("spec.restartPolicy"),
                "spec.schedulerName": .init("spec.schedulerName"),
                "spec.serviceAccountName": .init("spec.serviceAccountName"),
                "spec.hostNetwork": .init("spec.hostNetwork", absent: "false"),
                "status.phase": .init("status.phase"),
                "status.podIP": .init("status.podIP"),
                "status.nominatedNodeName": .init("status.nominatedNodeName"),
            ],
            // Accepted by the conversion, never set by PodToSelectableFields.
            unset: ["status.podIPs"],
            // Old v1 clients sent spec.host.
            renamed: ["spec.host": "spec.nodeName"]),
        Key(group: "", plural: "nodes"): FieldLabels(
            namespaceLabel: false, fields: ["spec.unschedulable": .init("spec.unschedulable", absent: "false")]),
        Key(group: "", plural: "replicationcontrollers"): FieldLabels(
            namespaceLabel: true, fields: ["status.replicas": .init("status.replicas", absent: "0")]),
        Key(group: "", plural: "events"): FieldLabels(namespaceLabel: true, fields: eventFields),
        Key(group: "", plural: "namespaces"): FieldLabels(
            namespaceLabel: false, fields: ["status.phase": .init("status.phase")]),
        Key(group: "", plural: "secrets"): FieldLabels(namespaceLabel: true, fields: ["type": .init("type")]),
        Key(group: "", plural: "services"): FieldLabels(
            namespaceLabel: true, fields: ["spec.clusterIP": .init("spec.clusterIP"), "spec.type": .init("spec.type")]),
        // events.k8s.io/v1 spells the fields its own way and maps them onto the core names; it
        // does not accept the core spellings (involvedObject.*, reportingComponent).
        Key(group: "events.k8s.io", plural: "events"): FieldLabels(
            namespaceLabel: true,
            fields: eventFields.filter { ["reason", "source", "type"].contains($0.key) },
            renamed: [
                "regarding.kind": "involvedObject.kind",
                "regarding.namespace": "involvedObject.namespace",
                "regarding.name": "involvedObject.name",
                "regarding.uid": "involvedObject.uid",
                "regarding.apiVersion": "involvedObject.apiVersion",
                "regarding.resourceVersion": "involvedObject.resourceVersion",
                "regarding.fieldPath": "involvedObject.fieldPath",
                "reportingController": "reportingComponent",
            ]).withSources(eventFields),
        // JobToSelectableFields prints Status.Succeeded under the label status.successful.
        Key(group: "batch", plural: "jobs"): FieldLabels(
            namespaceLabel: true, fields: ["status.successful": .init("status.succeeded", absent: "0")],
            rejection: .notSupportedFor(kind: "Job")),
        Key(group: "certificates.k8s.io", plural: "certificatesigningrequests"): FieldLabels(
            namespaceLabel: false, fields: ["spec.signerName": .init("spec.signerName")]),
    ]
}

extension FieldLabels {
    /// The same accepted labels, reading field-set labels from `extra` too (renamed labels
    /// whose targets are not accepted under their own names).
    func withSources(_ extra: [String: Source]) -> FieldLabels {
        FieldLabels(accepted: accepted, sources: sources.merging(extra) { current, _ in current }, rejection: rejection)
    }
}
