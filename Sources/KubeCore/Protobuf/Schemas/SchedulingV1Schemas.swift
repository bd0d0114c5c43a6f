/// k8s.io/api/scheduling/v1 messages: PriorityClass.
enum SchedulingV1Schemas {
    static let messages: [MessageSchema] = [
        MessageSchema("PriorityClass", [
            .field(1, "metadata", .message("ObjectMeta")),
            // value has no omitempty: a class of priority 0 still prints "value": 0.
            .field(2, "value", .int32, .keep),
            .field(3, "globalDefault", .bool),
            .field(4, "description", .string),
            .field(5, "preemptionPolicy", .string, .keep),
        ]),
    ]
}
