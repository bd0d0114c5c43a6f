/// k8s.io/api/authentication/v1 messages: TokenRequest (`kubectl create token`) and
/// TokenReview.
enum AuthenticationV1Schemas {
    static let messages: [MessageSchema] = [
        MessageSchema("TokenRequest", [
            .field(1, "metadata", .message("ObjectMeta")),
            .field(2, "spec", .message("TokenRequestSpec")),
            .field(3, "status", .message("TokenRequestStatus")),
        ]),
        MessageSchema("TokenRequestSpec", [
            .list(1, "audiences", .string),
            .field(4, "expirationSeconds", .int64, .keep),
            .field(3, "boundObjectRef", .message("BoundObjectReference")),
        ]),
        MessageSchema("BoundObjectReference", [
            .field(1, "kind", .string),
            // The .proto spells these aPIVersion and uID; the JSON tags are below.
            .field(2, "apiVersion", .string),
            .field(3, "name", .string),
            .field(4, "uid", .string),
        ]),
        MessageSchema("TokenRequestStatus", [
            .field(1, "token", .string, .keep),
            .field(2, "expirationTimestamp", .time),
        ]),
        MessageSchema("TokenReview", [
            .field(1, "metadata", .message("ObjectMeta")),
            .field(2, "spec", .message("TokenReviewSpec")),
            .field(3, "status", .message("TokenReviewStatus")),
        ]),
        MessageSchema("TokenReviewSpec", [
            .field(1, "token", .string),
        ]),
        MessageSchema("TokenReviewStatus", [
            .field(1, "authenticated", .bool),
            .field(2, "user", .message("UserInfo")),
            .field(3, "error", .string),
        ]),
        MessageSchema("UserInfo", [
            .field(1, "username", .string),
            .field(2, "uid", .string),
            .list(3, "groups", .string),
            // ExtraValue is a Go []string wrapped in a message {repeated string items = 1}.
            .map(4, "extra", .stringList),
        ]),
    ]
}
