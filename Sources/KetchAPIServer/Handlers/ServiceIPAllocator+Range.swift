import Foundation
import KubeCore

/// Claims and releases in the stored RangeAllocation. Each change reads the object and writes
/// it back with a compare on its mod revision (create-if-absent when there is none yet, as over
/// a fresh etcd), retrying on conflict: what kube-apiserver's etcd-backed allocator does, so two
/// concurrent creates, in this server or another on the same etcd, never share an address.
extension ServiceIPAllocator {
    /// A free address, the scan starting at a random offset as kube's allocator does; offset 0
    /// stays for the `kubernetes` Service. With `dryRun` nothing is written.
    func allocate(store: RegistryObjectStore, dryRun: Bool = false) async throws -> String {
        let reserved = 1
        let offset = try await modify(store, write: !dryRun) { bitmap -> Int in
            guard offsets.count > reserved,
                  let offset = bitmap.firstFree(in: reserved..<offsets.upperBound,
                                                from: Int.random(in: reserved..<offsets.upperBound)) else {
                throw KubeStatus.internalError("failed to allocate a serviceIP: range is full")
            }
            bitmap.insert(offset)
            return offset
        }
        return address(at: offset)
    }

    /// Claims an address a Service asked for in `spec.clusterIP`: 422 Invalid, as kube answers,
    /// when it is outside the range or already taken. With `dryRun` it is only checked.
    func claim(_ ip: String, service name: String, store: RegistryObjectStore, dryRun: Bool = false) async throws {
        func invalid(_ why: String) -> KubeStatus {
            .invalid(BuiltinResources.services, name: name, causes: [.init(
                reason: "FieldValueInvalid", message: "Invalid value: []string{\"\(ip)\"}: failed to allocate IP \(ip): \(why)",
                field: "spec.clusterIPs")])
        }
        guard let offset = offset(of: ip) else {
            throw invalid("the provided IP (\(ip)) is not in the valid range. The range of valid IPs is \(cidr)")
        }
        try await modify(store, write: !dryRun) { bitmap in
            if bitmap.contains(offset) { throw invalid("provided IP is already allocated") }
            bitmap.insert(offset)
        }
    }

    /// Frees the addresses of a deleted Service (those outside the range are ignored).
    func release(_ ips: [String], store: RegistryObjectStore) async throws {
        let taken = ips.compactMap(offset(of:))
        guard !taken.isEmpty else { return }
        try await modify(store) { bitmap in
            for offset in taken { bitmap.remove(offset) }
        }
    }

    /// Marks the addresses of every stored Service taken, as kube's repair controller does at
    /// start-up: a store written before the bitmap was kept (or by another allocator) then
    /// still hands out only free addresses. Only adds, so a concurrent claim is never lost.
    func repair(store: RegistryObjectStore) async throws {
        let services = try await store.list(BuiltinResources.services, namespace: nil).items
        let taken = services.flatMap(Self.clusterIPs).compactMap(offset(of:))
        try await modify(store) { bitmap in
            for offset in taken { bitmap.insert(offset) }
        }
    }

    /// The cluster IPs a Service holds: `spec.clusterIP` and `spec.clusterIPs`, without `None`.
    static func clusterIPs(_ service: JSONValue) -> [String] {
        let spec = service["spec"]
        let all = [spec?["clusterIP"]?.string].compactMap { $0 } + (spec?["clusterIPs"]?.array ?? []).compactMap(\.string)
        var seen = Set<String>()
        return all.filter { !$0.isEmpty && $0 != "None" && seen.insert($0).inserted }
    }

    /// Runs `change` on the stored bitmap and, when it changed it and `write` is set, stores it
    /// if nobody wrote the object since it was read; otherwise reads again and re-runs `change`.
    private func modify<T>(_ store: RegistryObjectStore, write: Bool = true,
                           _ change: (inout AllocationBitmap) throws -> T) async throws -> T {
        let key = "\(store.root)/ranges/serviceips"
        // Each conflict means another writer succeeded, so this ends; the bound is a safety net.
        for _ in 0..<1000 {
            let stored = try await store.backend.get(key)
            var object = stored.flatMap { try? RegistryObjectStore.decode($0) } ?? newRangeObject()
            var bitmap = bitmap(of: object)
            let before = bitmap
            let result = try change(&bitmap)
            guard write, bitmap != before || object["range"]?.string != cidr else { return result }
            object["range"] = .string(cidr)
            object["data"] = .string(bitmap.base64)
            let bytes = try RegistryObjectStore.encode(object)
            if let stored {
                if case .written = try await store.backend.update(key, value: bytes, expected: stored.modRevision) { return result }
            } else if try await store.backend.create(key, value: bytes) != nil {
                return result
            }
            try Task.checkCancellation()
        }
        throw KubeStatus.internalError("failed to allocate a serviceIP: the range allocation kept changing")
    }

    /// The bitmap a stored RangeAllocation holds for this range; an empty one when it records
    /// another range (the flag changed: the start-up repair refills it) or unreadable data.
    private func bitmap(of object: JSONValue) -> AllocationBitmap {
        guard let range = object["range"]?.string, let data = object["data"]?.string else { return AllocationBitmap() }
        let recorded = ServiceIPAllocator(cidr: range)
        guard recorded.base == base, recorded.size == size else { return AllocationBitmap() }
        return AllocationBitmap(base64: data) ?? AllocationBitmap()
    }

    /// The RangeAllocation kube-apiserver creates when there is none.
    private func newRangeObject() -> JSONValue {
        .object([
            "apiVersion": .string("v1"), "kind": .string("RangeAllocation"),
            "metadata": .object(["name": .string("serviceips"), "creationTimestamp": .string(KubeTime.rfc3339())]),
            "range": .string(cidr), "data": .string(""),
        ])
    }
}
