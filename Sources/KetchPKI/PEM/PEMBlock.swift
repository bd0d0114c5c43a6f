import Foundation

/// One `-----BEGIN <label>-----` … `-----END <label>-----` block of a PEM file.
///
/// Key files may hold several blocks (kube-apiserver's `--service-account-key-file` takes
/// public keys, private keys and certificates, any number of each), while most PEM parsers
/// take exactly one; so files are split first and each block parsed by label.
public struct PEMBlock: Sendable, Hashable {
    /// The type label, e.g. `PUBLIC KEY` or `RSA PRIVATE KEY`.
    public var label: String
    /// The block itself, BEGIN and END lines included.
    public var text: String

    /// Every complete block in `pem`, in order; text outside blocks is ignored, as Go's
    /// `pem.Decode` does.
    public static func blocks(in pem: String) -> [PEMBlock] {
        var blocks: [PEMBlock] = []
        var label: String?
        var lines: [Substring] = []
        for line in pem.split(whereSeparator: \.isNewline) {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if label == nil, let begin = beginLabel(trimmed) {
                label = begin
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

    /// The labels of every `-----BEGIN LABEL-----` line, in order, complete block or not: enough
    /// to tell "not PEM" from "PEM of the wrong kind" before libcrypto gives its terser answer.
    static func labels(in data: Data) -> [String] {
        guard let text = String(data: data, encoding: .utf8) ?? String(data: data, encoding: .isoLatin1) else {
            return []
        }
        return text.split(whereSeparator: \.isNewline).compactMap { beginLabel($0.trimmingCharacters(in: .whitespaces)) }
    }

    /// The label of a trimmed `-----BEGIN LABEL-----` line, nil for any other line.
    private static func beginLabel(_ line: String) -> String? {
        guard line.hasPrefix("-----BEGIN "), line.hasSuffix("-----"), line.count > 16 else { return nil }
        return String(line.dropFirst(11).dropLast(5))
    }
}
