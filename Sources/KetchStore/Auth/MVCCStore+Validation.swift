/// Request checks on their own, so the API can run them before authorization: etcd rejects a
/// malformed request with its validation error even when the caller may not make it.
extension MVCCStore {
    public func validate(_ r: RangeRequest) throws { try validator.check(r) }
    public func validate(_ r: PutRequest) throws { try validator.check(r) }
    public func validate(_ r: DeleteRangeRequest) throws { try validator.check(r) }
    public func validate(_ r: TxnRequest) throws { try validator.check(r) }
}
