/// The checks of `github.com/robfig/cron/v3`'s `ParseStandard` (five fields or a `@`
/// descriptor, optionally after `TZ=`/`CRON_TZ=`), returning its error text, which the CronJob
/// validation reports verbatim.
enum CronSchedule {
    /// The range and names of one field (`bounds` in robfig/cron).
    private struct Bounds {
        let min: Int, max: Int
        let names: [String: Int]
    }

    private static let minutes = Bounds(min: 0, max: 59, names: [:])
    private static let hours = Bounds(min: 0, max: 23, names: [:])
    private static let daysOfMonth = Bounds(min: 1, max: 31, names: [:])
    private static let months = Bounds(min: 1, max: 12, names: ["jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6,
                                                               "jul": 7, "aug": 8, "sep": 9, "oct": 10, "nov": 11, "dec": 12])
    private static let daysOfWeek = Bounds(min: 0, max: 6, names: ["sun": 0, "mon": 1, "tue": 2, "wed": 3, "thu": 4, "fri": 5, "sat": 6])
    private static let descriptors: Set<String> = ["@yearly", "@annually", "@monthly", "@weekly", "@daily", "@midnight", "@hourly"]

    /// Why `spec` does not parse, nil when it does.
    static func problem(_ spec: String) -> String? {
        if spec.isEmpty { return "empty spec string" }
        var rest = Substring(spec)
        if rest.hasPrefix("TZ=") || rest.hasPrefix("CRON_TZ=") {
            // Go slices spec[eq+1:i] with i the first space; without one that slice panics, which
            // the apiserver's validation never reaches for a stored object. Treat it as a bad zone.
            let equals = rest.firstIndex(of: "=")!
            guard let space = rest.firstIndex(of: " ") else { return "provided bad location \(rest[rest.index(after: equals)...]): unknown time zone \(rest[rest.index(after: equals)...])" }
            let zone = String(rest[rest.index(after: equals)..<space])
            if !TimeZoneCheck.isKnown(zone) { return "provided bad location \(zone): unknown time zone \(zone)" }
            rest = rest[space...].drop { $0 == " " || $0 == "\t" }
        }
        if rest.hasPrefix("@") { return descriptorProblem(String(rest)) }
        let fields = rest.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" }).map(String.init)
        guard fields.count == 5 else {
            return "expected exactly 5 fields, found \(fields.count): [\(fields.joined(separator: " "))]"
        }
        for (field, bounds) in zip(fields, [minutes, hours, daysOfMonth, months, daysOfWeek]) {
            if let problem = fieldProblem(field, bounds) { return problem }
        }
        return nil
    }

    private static func descriptorProblem(_ spec: String) -> String? {
        if descriptors.contains(spec) { return nil }
        let every = "@every "
        if spec.hasPrefix(every) {
            let text = String(spec.dropFirst(every.count))
            return GoDuration.isValid(text) ? nil : "failed to parse duration \(spec): time: invalid duration \(goQuoted(text))"
        }
        return "unrecognized descriptor: \(spec)"
    }

    /// `getField`: comma-separated ranges.
    private static func fieldProblem(_ field: String, _ bounds: Bounds) -> String? {
        for expression in field.split(separator: ",").map(String.init) {
            if let problem = rangeProblem(expression, bounds) { return problem }
        }
        return nil
    }

    /// `getRange`: `*`, `?`, `n`, `n-m`, each with an optional `/step`.
    private static func rangeProblem(_ expression: String, _ bounds: Bounds) -> String? {
        let rangeAndStep = expression.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        let lowAndHigh = rangeAndStep[0].split(separator: "-", omittingEmptySubsequences: false).map(String.init)
        var start = 0, end = 0
        if lowAndHigh[0] == "*" || lowAndHigh[0] == "?" {
            start = bounds.min
            end = bounds.max
        } else {
            switch parseIntOrName(lowAndHigh[0], bounds.names) {
            case .failure(let message): return message
            case .success(let value): start = value
            }
            switch lowAndHigh.count {
            case 1: end = start
            case 2:
                switch parseIntOrName(lowAndHigh[1], bounds.names) {
                case .failure(let message): return message
                case .success(let value): end = value
                }
            default: return "too many hyphens: \(expression)"
            }
        }
        var step = 1
        switch rangeAndStep.count {
        case 1: break
        case 2:
            switch parseInt(rangeAndStep[1]) {
            case .failure(let message): return message
            case .success(let value): step = value
            }
            if lowAndHigh.count == 1 { end = bounds.max }
        default: return "too many slashes: \(expression)"
        }
        if start < bounds.min { return "beginning of range (\(start)) below minimum (\(bounds.min)): \(expression)" }
        if end > bounds.max { return "end of range (\(end)) above maximum (\(bounds.max)): \(expression)" }
        if start > end { return "beginning of range (\(start)) beyond end of range (\(end)): \(expression)" }
        if step == 0 { return "step of range should be a positive number: \(expression)" }
        return nil
    }

    private enum Parsed { case success(Int), failure(String) }

    private static func parseIntOrName(_ text: String, _ names: [String: Int]) -> Parsed {
        if let value = names[text.lowercased()] { return .success(value) }
        return parseInt(text)
    }

    /// `mustParseInt`, with `strconv.Atoi`'s error words.
    private static func parseInt(_ text: String) -> Parsed {
        guard let number = goAtoi(text) else {
            return .failure("failed to parse int from \(text): strconv.Atoi: parsing \(goQuoted(text)): invalid syntax")
        }
        if number < 0 { return .failure("negative number (\(number)) not allowed: \(text)") }
        return .success(number)
    }

    /// `strconv.Atoi`'s accepted syntax: an optional sign and decimal digits.
    private static func goAtoi(_ text: String) -> Int? {
        var digits = Substring(text)
        if digits.first == "+" || digits.first == "-" { digits = digits.dropFirst() }
        guard !digits.isEmpty, digits.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        return Int(text)
    }
}

/// `time.ParseDuration`'s syntax: a sequence of decimal numbers with units (`1h30m`, `1.5s`).
enum GoDuration {
    /// Whether `text` parses as a Go duration.
    static func isValid(_ text: String) -> Bool {
        var rest = Substring(text)
        if rest.first == "+" || rest.first == "-" { rest = rest.dropFirst() }
        if rest == "0" { return true }
        if rest.isEmpty { return false }
        let units = ["ns", "us", "µs", "μs", "ms", "s", "m", "h"]
        while !rest.isEmpty {
            let number = rest.prefix { $0.isASCII && ($0.isNumber || $0 == ".") }
            guard !number.isEmpty, number != ".", number.filter({ $0 == "." }).count <= 1 else { return false }
            rest = rest.dropFirst(number.count)
            guard let unit = units.filter({ rest.hasPrefix($0) }).max(by: { $0.count < $1.count }) else { return false }
            rest = rest.dropFirst(unit.count)
        }
        return true
    }
}
