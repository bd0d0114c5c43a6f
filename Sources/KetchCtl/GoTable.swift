import Foundation

/// tablewriter as etcdctl configures it: upper-case centred headers, right-aligned cells.
enum GoTable {
    static func render(header: [String], rows: [[String]]) -> String {
        let head = header.map { $0.uppercased() }
        var widths = head.map(\.count)
        for row in rows {
            for (i, cell) in row.enumerated() where i < widths.count { widths[i] = max(widths[i], cell.count) }
        }
        let line = "+" + widths.map { String(repeating: "-", count: $0 + 2) }.joined(separator: "+") + "+\n"
        func center(_ s: String, _ w: Int) -> String {
            let gap = w - s.count
            let left = gap / 2
            return String(repeating: " ", count: left) + s + String(repeating: " ", count: gap - left)
        }
        func right(_ s: String, _ w: Int) -> String { String(repeating: " ", count: max(0, w - s.count)) + s }
        var out = line
        out += "|" + zip(head, widths).map { " " + center($0, $1) + " " }.joined(separator: "|") + "|\n"
        out += line
        for row in rows {
            out += "|" + zip(row, widths).map { " " + right($0, $1) + " " }.joined(separator: "|") + "|\n"
        }
        if !rows.isEmpty { out += line }
        return out
    }
}
