/// k8s.io/apimachinery/pkg/apis/meta/v1 messages that objects embed, and DeleteOptions.
/// Time, MicroTime, Duration and FieldsV1 are `FieldType` cases, not schemas.
enum MetaV1Schemas {
    static let messages: [MessageSchema] = [
        MessageSchema("ObjectMeta", [
            .field(1, "name", .string),
            .field(2, "generateName", .string),
            .field(3, "namespace", .string),
            .field(4, "selfLink", .string),
            .field(5, "uid", .string),
            .field(6, "resourceVersion", .string),
            .field(7, "generation", .int64),
            // A value Time: gogo always writes it, empty when zero, and then it is omitted.
            .field(8, "creationTimestamp", .time),
            .field(9, "deletionTimestamp", .time),
            .field(10, "deletionGracePeriodSeconds", .int64, .keep),
            .map(11, "labels", .string),
            .map(12, "annotations", .string),
            .list(13, "ownerReferences", .message("OwnerReference")),
            .list(14, "finalizers", .string),
            .list(17, "managedFields", .message("ManagedFieldsEntry")),
        ]),
        MessageSchema("OwnerReference", [
            // apiVersion, kind, name and uid have no omitempty.
            .field(5, "apiVersion", .string, .keep),
            .field(1, "kind", .string, .keep),
            .field(3, "name", .string, .keep),
            .field(4, "uid", .string, .keep),
            .field(6, "controller", .bool, .keep),
            .field(7, "blockOwnerDeletion", .bool, .keep),
        ]),
        MessageSchema("ManagedFieldsEntry", [
            .field(1, "manager", .string),
            .field(2, "operation", .string),
            .field(3, "apiVersion", .string),
            .field(4, "time", .time),
            .field(6, "fieldsType", .string),
            .field(7, "fieldsV1", .fieldsV1),
            .field(8, "subresource", .string),
        ]),
        MessageSchema("LabelSelector", [
            .map(1, "matchLabels", .string),
            .list(2, "matchExpressions", .message("LabelSelectorRequirement")),
        ]),
        MessageSchema("LabelSelectorRequirement", [
            .field(1, "key", .string, .keep),
            .field(2, "operator", .string, .keep),
            .list(3, "values", .string),
        ]),
        MessageSchema("Condition", [
            // Every member but observedGeneration lacks omitempty.
            .field(1, "type", .string, .keep),
            .field(2, "status", .string, .keep),
            .field(3, "observedGeneration", .int64),
            .field(4, "lastTransitionTime", .time),
            .field(5, "reason", .string, .keep),
            .field(6, "message", .string, .keep),
        ]),
        MessageSchema("DeleteOptions", [
            .field(1, "gracePeriodSeconds", .int64, .keep),
            .field(2, "preconditions", .message("Preconditions")),
            .field(3, "orphanDependents", .bool, .keep),
            .field(4, "propagationPolicy", .string, .keep),
            .list(5, "dryRun", .string),
        ]),
        MessageSchema("Preconditions", [
            .field(1, "uid", .string, .keep),
            .field(2, "resourceVersion", .string, .keep),
        ]),
    ]
}
