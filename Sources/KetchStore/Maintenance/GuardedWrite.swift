/// A request as the quota and the alarms judge it: etcd guards these at its gRPC layer
/// (`quotaKVServer`, `quotaLeaseServer`) and in its capped and corrupt appliers.
enum GuardedWrite {
    case put(PutRequest)
    /// Any txn; read-only ones still pass the quota check, as in etcd 3.5.
    case txn(TxnRequest)
    case deleteRange
    case compaction
    case leaseGrant
    case leaseRevoke
}
