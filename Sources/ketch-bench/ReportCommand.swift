import ArgumentParser
import Foundation

/// Figures measured outside the load client (by hack/bench.sh): memory, disk, start-up time,
/// snapshot time, `etcdctl check perf`, and the machine.
struct Extras: Codable, Sendable {
    struct Metric: Codable, Sendable {
        var id: String
        var title: String
        var unit: String
        /// "lower" or "higher": which way is better.
        var better: String
        var values: [String: Double]
    }
    struct CheckPerf: Codable, Sendable {
        var result: String
        var lines: [String]
        /// The `--load` it ran with (s when absent: older reports).
        var load: String?
    }
    var machine: [String: String] = [:]
    var command: String?
    var metrics: [Metric] = []
    var checkPerf: [String: CheckPerf] = [:]

    enum CodingKeys: String, CodingKey {
        case machine, command, metrics
        case checkPerf = "check_perf"
    }
}

/// Everything one `hack/bench.sh` run measured.
struct FullReport: Codable, Sendable {
    var suite: SuiteResult
    var extras: Extras?
}

enum Report {
    static func pad(_ s: String, _ width: Int, right: Bool = false) -> String {
        let n = s.count
        guard n < width else { return s }
        let fill = String(repeating: " ", count: width - n)
        return right ? fill + s : s + fill
    }

    static func number(_ v: Double) -> String {
        if v >= 100 { return String(Int(v.rounded())) }
        if v >= 10 { return String(format: "%.1f", v) }
        return String(format: "%.2f", v)
    }

    static func ms(_ v: Double) -> String { String(format: v >= 100 ? "%.0f" : (v >= 10 ? "%.1f" : "%.2f"), v) }

    static func ratio(_ a: Double?, _ b: Double?) -> String {
        guard let a, let b, b > 0 else { return "-" }
        return String(format: "%.2f×", a / b)
    }

    /// Rows of cells, printed as an aligned text table or as Markdown.
    static func render(_ header: [String], _ rows: [[String]], markdown: Bool) -> String {
        if markdown {
            var out = "| " + header.joined(separator: " | ") + " |\n"
            out += "|" + header.indices.map { $0 == 0 ? "---" : "---:" }.joined(separator: "|") + "|\n"
            for r in rows { out += "| " + r.joined(separator: " | ") + " |\n" }
            return out
        }
        var widths = header.map(\.count)
        for r in rows { for (i, c) in r.enumerated() { widths[i] = max(widths[i], c.count) } }
        func line(_ cells: [String]) -> String {
            cells.enumerated().map { i, c in pad(c, widths[i], right: i > 0) }.joined(separator: "  ")
        }
        var out = line(header) + "\n" + String(repeating: "-", count: widths.reduce(0, +) + 2 * (widths.count - 1)) + "\n"
        for r in rows { out += line(r) + "\n" }
        return out
    }

    static func table(suite: SuiteResult, extras: Extras?, markdown: Bool = false) -> String {
        let servers = suite.servers
        guard let base = servers.first else { return "" }
        let others = servers.dropFirst()
        var header = ["workload"]
        for s in servers { header += ["\(s) op/s", "p50 ms", "p99 ms"] }
        for o in others { header += ["\(o)/\(base) op/s", "\(o)/\(base) p99"] }
        var rows: [[String]] = []
        for w in suite.workloads {
            var row = [w.title + (w.unit == "op" ? "" : " (\(w.unit)s/s)")]
            for s in servers {
                guard let r = w.results[s] else { row += ["-", "-", "-"]; continue }
                row += [number(r.opsPerSecond) + (r.errors > 0 ? " (\(r.errors) err)" : ""), ms(r.p50Ms), ms(r.p99Ms)]
            }
            for o in others {
                row += [ratio(w.results[o]?.opsPerSecond, w.results[base]?.opsPerSecond),
                        ratio(w.results[o]?.p99Ms, w.results[base]?.p99Ms)]
            }
            rows.append(row)
        }
        var out = render(header, rows, markdown: markdown)
        guard let extras else { return out }
        if !extras.metrics.isEmpty {
            var mh = ["measure"]
            mh += servers
            mh += others.map { "\($0)/\(base)" }
            let mrows = extras.metrics.map { m -> [String] in
                var r = [m.title + " (\(m.unit), \(m.better) is better)"]
                r += servers.map { s in m.values[s].map(number) ?? "-" }
                r += others.map { o in ratio(m.values[o], m.values[base]) }
                return r
            }
            out += "\n" + render(mh, mrows, markdown: markdown)
        }
        if !extras.checkPerf.isEmpty {
            out += "\n"
            for s in servers {
                guard let c = extras.checkPerf[s] else { continue }
                let detail = c.lines.filter { !$0.isEmpty }.joined(separator: "; ")
                out += (markdown ? "- " : "") + "`etcdctl check perf --load=\(c.load ?? "s")` against \(s): **\(c.result)** — \(detail)\n"
            }
            if !markdown { out = out.replacingOccurrences(of: "**", with: "").replacingOccurrences(of: "`", with: "") }
        }
        return out
    }
}

/// `ketch-bench report`: the suite's results and hack/bench.sh's other figures as one table
/// (and one JSON file).
struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "report", abstract: "Print the results table.")

    @Option(help: "The suite's JSON output.") var suite: String
    @Option(help: "JSON with the figures measured by hack/bench.sh.") var extras: String?
    @Option(help: "Write everything as one JSON file.") var json: String?
    @Option(help: "Also write the tables as Markdown to this file.") var markdown: String?

    func run() throws {
        let decoder = JSONDecoder()
        let suiteResult = try decoder.decode(SuiteResult.self, from: Data(contentsOf: URL(fileURLWithPath: suite)))
        let extrasResult = try extras.map { try decoder.decode(Extras.self, from: Data(contentsOf: URL(fileURLWithPath: $0))) }
        print(Report.table(suite: suiteResult, extras: extrasResult))
        if let json {
            try jsonEncoder().encode(FullReport(suite: suiteResult, extras: extrasResult)).write(to: URL(fileURLWithPath: json))
        }
        if let markdown {
            try Report.table(suite: suiteResult, extras: extrasResult, markdown: true)
                .write(to: URL(fileURLWithPath: markdown), atomically: true, encoding: .utf8)
        }
    }
}
