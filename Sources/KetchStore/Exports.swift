// Range ends are etcd's key-space rules, shared with the clients; the store's API speaks them.
@_exported import EtcdKeySpace
