/// k8s.io/api/authorization/v1 messages: the access reviews behind `kubectl auth can-i`.
enum AuthorizationV1Schemas {
    static let messages: [MessageSchema] = [
        MessageSchema("SelfSubjectAccessReview", [
            .field(1, "metadata", .message("ObjectMeta")),
            .field(2, "spec", .message("SelfSubjectAccessReviewSpec")),
            .field(3, "status", .message("SubjectAccessReviewStatus")),
        ]),
        MessageSchema("SelfSubjectAccessReviewSpec", [
            .field(1, "resourceAttributes", .message("ResourceAttributes")),
            .field(2, "nonResourceAttributes", .message("NonResourceAttributes")),
        ]),
        MessageSchema("SubjectAccessReview", [
            .field(1, "metadata", .message("ObjectMeta")),
            .field(2, "spec", .message("SubjectAccessReviewSpec")),
            .field(3, "status", .message("SubjectAccessReviewStatus")),
        ]),
        MessageSchema("SubjectAccessReviewSpec", [
            .field(1, "resourceAttributes", .message("ResourceAttributes")),
            .field(2, "nonResourceAttributes", .message("NonResourceAttributes")),
            .field(3, "user", .string),
            .list(4, "groups", .string),
            .field(6, "uid", .string),
        ]),
        MessageSchema("ResourceAttributes", [
            .field(1, "namespace", .string),
            .field(2, "verb", .string),
            .field(3, "group", .string),
            .field(4, "version", .string),
            .field(5, "resource", .string),
            .field(6, "subresource", .string),
            .field(7, "name", .string),
        ]),
        MessageSchema("NonResourceAttributes", [
            .field(1, "path", .string),
            .field(2, "verb", .string),
        ]),
        MessageSchema("SubjectAccessReviewStatus", [
            .field(1, "allowed", .bool, .keep),
            .field(2, "reason", .string),
            .field(3, "evaluationError", .string),
            .field(4, "denied", .bool),
        ]),
        MessageSchema("SelfSubjectReview", [
            .field(1, "metadata", .message("ObjectMeta")),
            .field(2, "status", .message("SelfSubjectReviewStatus")),
        ]),
        MessageSchema("SelfSubjectReviewStatus", [
            .field(1, "userInfo", .message("UserInfo")),
        ]),
    ]
}
