import Foundation
import KubeCore

/// The `pod-template-hash` label that names a Deployment's ReplicaSets (`web-7c5b7d5f9`), as
/// upstream's `controller.ComputeHash`: FNV-32a over the pod template, then the collision
/// count, printed in decimal and re-spelt in the alphabet `rand.SafeEncodeString` uses.
///
/// Upstream hashes Go's printed form of the typed template, which Ketch cannot reproduce, so
/// the input here is the template's canonical JSON (sorted keys, empty values dropped). The
/// value is stable for a given template, changes when the template does, and looks like
/// upstream's; it is not byte-equal to what kube-controller-manager would compute.
public enum PodTemplateHash {
    /// The label on ReplicaSets, their selectors and their pods (`apps.DefaultDeploymentUniqueLabelKey`).
    public static let label = "pod-template-hash"

    /// `rand.SafeEncodeString`'s alphabet: no vowels, no look-alike characters.
    static let alphabet = Array("bcdfghjklmnpqrstvwxz2456789")

    /// The hash of `template` with `collisionCount` (nil when the Deployment never collided).
    public static func compute(_ template: JSONValue, collisionCount: Int?) -> String {
        var hasher = FNV32a()
        hasher.write(Array(canonicalText(template).utf8))
        if let collisionCount {
            // binary.LittleEndian.PutUint32 into an 8-byte buffer: four bytes, then four zeros.
            let value = UInt32(truncatingIfNeeded: collisionCount)
            hasher.write([UInt8(value & 0xff), UInt8(value >> 8 & 0xff), UInt8(value >> 16 & 0xff), UInt8(value >> 24), 0, 0, 0, 0])
        }
        return safeEncode(String(hasher.value))
    }

    /// `rand.SafeEncodeString`: each character replaced by the alphabet's entry at its code
    /// point modulo the alphabet's size.
    public static func safeEncode(_ text: String) -> String {
        String(text.unicodeScalars.map { alphabet[Int($0.value) % alphabet.count] })
    }

    /// Whether two pod templates are the same apart from the hash label (upstream's
    /// `EqualIgnoreHash`, with empty and missing fields equal as in `Semantic.DeepEqual`).
    public static func equalIgnoringHash(_ a: JSONValue, _ b: JSONValue) -> Bool {
        normalized(withoutHashLabel(a)) == normalized(withoutHashLabel(b))
    }

    /// `template` without the hash label.
    public static func withoutHashLabel(_ template: JSONValue) -> JSONValue {
        var copy = template
        if var metadata = copy["metadata"], var labels = metadata["labels"] {
            labels[label] = nil
            metadata["labels"] = labels
            copy["metadata"] = metadata
        }
        return copy
    }

    /// The compact JSON text hashed: sorted keys, nulls and empty objects and arrays dropped,
    /// whole numbers written as integers.
    static func canonicalText(_ value: JSONValue) -> String {
        let data = (try? (normalized(value) ?? .object([:])).encoded()) ?? Data()
        return String(decoding: data, as: UTF8.self)
    }

    /// `value` with null and empty members removed (recursively) and whole doubles as integers;
    /// nil when nothing is left.
    static func normalized(_ value: JSONValue) -> JSONValue? {
        switch value {
        case .null:
            return nil
        case .number(let number):
            if let whole = Int(exactly: number) { return .integer(whole) }
            return value
        case .array(let items):
            let kept = items.map { normalized($0) ?? .null }
            return kept.isEmpty ? nil : .array(kept)
        case .object(let members):
            let kept = members.compactMapValues(normalized)
            return kept.isEmpty ? nil : .object(kept)
        default:
            return value
        }
    }
}

/// The 32-bit FNV-1a hash (Go's `hash/fnv.New32a`).
struct FNV32a {
    /// The hash so far.
    private(set) var value: UInt32 = 2_166_136_261

    /// Feeds `bytes`.
    mutating func write(_ bytes: [UInt8]) {
        for byte in bytes {
            value ^= UInt32(byte)
            value = value &* 16_777_619
        }
    }
}
