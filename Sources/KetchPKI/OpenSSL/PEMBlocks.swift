import Foundation

/// Finds the labels of the PEM blocks in a file, to tell "not PEM" from "PEM of the wrong
/// kind" before libcrypto gives its terser answer.
enum PEMBlocks {
    /// The labels of every `-----BEGIN LABEL-----` line, in order.
    static func labels(in data: Data) -> [String] {
        guard let text = String(data: data, encoding: .utf8) ?? String(data: data, encoding: .isoLatin1) else {
            return []
        }
        var labels: [String] = []
        for line in text.split(whereSeparator: \.isNewline) {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            guard trimmed.hasPrefix("-----BEGIN "), trimmed.hasSuffix("-----"), trimmed.count > 16 else { continue }
            labels.append(String(trimmed.dropFirst(11).dropLast(5)))
        }
        return labels
    }
}
