/// k8s.io/api/coordination/v1 messages: Lease.
enum CoordinationV1Schemas {
    static let messages: [MessageSchema] = [
        MessageSchema("Lease", [
            .field(1, "metadata", .message("ObjectMeta")),
            .field(2, "spec", .message("LeaseSpec")),
        ]),
        MessageSchema("LeaseSpec", [
            .field(1, "holderIdentity", .string, .keep),
            .field(2, "leaseDurationSeconds", .int32, .keep),
            .field(3, "acquireTime", .microTime),
            .field(4, "renewTime", .microTime),
            .field(5, "leaseTransitions", .int32, .keep),
            .field(6, "strategy", .string, .keep),
            .field(7, "preferredHolder", .string, .keep),
        ]),
    ]
}
