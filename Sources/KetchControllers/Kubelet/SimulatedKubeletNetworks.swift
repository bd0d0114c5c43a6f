import KetchPKI
import KubeCore
import Synchronization

/// The pod networks of the simulated nodes: one ``PodIPAllocator`` per pod range, each pod's
/// address held by its uid until the pod finishes or goes away.
///
/// A node's range is its `spec.podCIDR` (node-ipam assigns it from `--cluster-cidr`). A node
/// without one yet (node-ipam off, or not there yet) gets addresses from `10.88.0.0/16`, the
/// range of containerd's default CNI bridge config (`10-containerd-net.conflist`), which is
/// where such a node's pods would land; every node without a podCIDR shares that one range, as
/// they would share the bridge subnet on one host. A pod keeps the address it got, also after
/// its node gets a podCIDR.
///
/// After a restart nothing is lost: the first time a range is used, the addresses its pods
/// already report in `status.podIP` are reserved for them before any new one is handed out.
final class SimulatedKubeletNetworks: Sendable {
    /// containerd's default bridge range, for nodes without a podCIDR.
    static let fallbackCIDR = "10.88.0.0/16"

    private struct State {
        var allocators: [String: PodIPAllocator] = [:]
        /// The range each holding pod's address came from, and the pod's key, by uid.
        var holders: [String: (range: String, key: ObjectKey)] = [:]
        /// The uid of each holding pod, by key (to release the address when the pod is gone).
        var uids: [ObjectKey: String] = [:]

        mutating func hold(_ uid: String, key: ObjectKey, range: String) {
            holders[uid] = (range, key)
            uids[key] = uid
        }

        mutating func release(_ uid: String) {
            guard let holder = holders.removeValue(forKey: uid) else { return }
            allocators[holder.range]?.release(uid)
            if uids[holder.key] == uid { uids[holder.key] = nil }
        }
    }

    private let state = Mutex(State())
    /// The pods known now, for seeding a range with the addresses already in use.
    private let knownPods: @Sendable () -> [JSONValue]

    /// Networks seeded from `knownPods`.
    init(knownPods: @escaping @Sendable () -> [JSONValue]) {
        self.knownPods = knownPods
    }

    /// The address for `pod` on a node with range `podCIDR`: the one it holds, the one it
    /// reports (reserved again after a restart), or a new one. Nil when the range is full.
    func address(for pod: JSONValue, podCIDR: String?) -> String? {
        let key = ObjectKey(pod)
        let uid = pod["metadata"]?["uid"]?.string ?? ""
        let reported = pod["status"]?["podIP"]?.string
        return state.withLock { s in
            if let previous = s.uids[key], previous != uid { s.release(previous) }
            if let range = s.holders[uid]?.range, let held = s.allocators[range]?.address(of: uid) { return held }
            let range = podCIDR.flatMap { PodIPAllocator(podCIDR: $0) == nil ? nil : $0 } ?? Self.fallbackCIDR
            if let reported, !reported.isEmpty {
                for candidate in [range, Self.fallbackCIDR] {
                    prepare(candidate, in: &s)
                    guard s.allocators[candidate]?.reserve(reported, for: uid) == true else { continue }
                    s.hold(uid, key: key, range: candidate)
                    return reported
                }
                // Outside every range managed here (set by an earlier configuration): keep it.
                return reported
            }
            prepare(range, in: &s)
            guard let address = s.allocators[range]?.address(for: uid) else { return nil }
            s.hold(uid, key: key, range: range)
            return address
        }
    }

    /// The address `uid` holds, if any.
    func heldAddress(_ uid: String) -> String? {
        state.withLock { s in s.holders[uid].flatMap { s.allocators[$0.range]?.address(of: uid) } }
    }

    /// Gives back the address of the pod `uid` (it finished).
    func release(uid: String) {
        state.withLock { $0.release(uid) }
    }

    /// Gives back the address of whichever pod last had `key` (it is gone).
    func release(key: ObjectKey) {
        state.withLock { s in
            guard let uid = s.uids[key] else { return }
            s.release(uid)
        }
    }

    /// host-local's range set for `podCIDR` as its "no IP addresses available" error names it.
    static func rangeSet(podCIDR: String?) -> String {
        guard let network = IPNetwork(podCIDR ?? fallbackCIDR) ?? IPNetwork(fallbackCIDR) else { return "" }
        let last = network.family == .ipv4 ? (1 << min(network.hostBits, 24)) - 2 : (1 << min(network.hostBits, 24)) - 1
        return "\(network.address(at: 1)?.description ?? "")-\(network.address(at: last)?.description ?? "")"
    }

    /// Makes the allocator of `range` on first use, seeded with the addresses its live pods
    /// report.
    private func prepare(_ range: String, in s: inout State) {
        guard s.allocators[range] == nil else { return }
        var made = PodIPAllocator(podCIDR: range) ?? PodIPAllocator(podCIDR: Self.fallbackCIDR)!
        for pod in knownPods() {
            let phase = pod["status"]?["phase"]?.string
            guard phase != "Succeeded", phase != "Failed", pod["spec"]?["hostNetwork"]?.bool != true,
                  let ip = pod["status"]?["podIP"]?.string, let uid = pod["metadata"]?["uid"]?.string,
                  s.holders[uid] == nil, made.reserve(ip, for: uid) else { continue }
            s.hold(uid, key: ObjectKey(pod), range: range)
        }
        s.allocators[range] = made
    }
}
