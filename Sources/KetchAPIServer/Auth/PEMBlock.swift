import Foundation

/// One `-----BEGIN <label>-----` … `-----END <label>-----` block of a PEM file.
///
/// Key files may hold several blocks (kube-apiserver's `--service-account-key-file` takes
/// public keys, private keys and certificates, any number of each), while swift-crypto's PEM
/// initialisers take exactly one; so files are split first and each block parsed by label.
struct PEMBlock: Sendable, Hashable {
    /// The type label, e.g. `PUBLIC KEY` or `RSA PRIVATE KEY`.
    var label: String
    /// The block itself, BEGIN and END lines included.
    var text: String

    /// Every block in `pem`, in order; text outside blocks is ignored, as Go's `pem.Decode` does.
    static func blocks(in pem: String) -> [PEMBlock] {
        var blocks: [PEMBlock] = []
        var label: String?
        var lines: [Substring] = []
        for line in pem.split(whereSeparator: \.isNewline) {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if label == nil, trimmed.hasPrefix("-----BEGIN "), trimmed.hasSuffix("-----") {
                label = String(trimmed.dropFirst(11).dropLast(5))
                lines = [Substring(trimmed)]
            } else if let current = label {
                lines.append(Substring(trimmed))
                if trimmed == "-----END \(current)-----" {
                    blocks.append(PEMBlock(label: current, text: lines.joined(separator: "\n") + "\n"))
                    label = nil
                }
            }
        }
        return blocks
    }
}
