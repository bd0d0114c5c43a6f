import ArgumentParser
import GoText

/// Values of Go-style flags (pflag): booleans and durations, with pflag's error wording.
enum GoFlag {
    /// `true`/`false` (and Go's other spellings: 1, t, T, TRUE, True, 0, f, …).
    static func bool(_ text: String, flag: String) throws -> Bool {
        switch text {
        case "1", "t", "T", "true", "TRUE", "True": return true
        case "0", "f", "F", "false", "FALSE", "False": return false
        default: throw ValidationError("invalid argument \"\(text)\" for \"--\(flag)\" flag: strconv.ParseBool: parsing \"\(text)\": invalid syntax")
        }
    }

    /// A Go duration (`15s`, `1m30s`).
    static func duration(_ text: String, flag: String) throws -> Duration {
        guard let value = GoDuration.parse(text) else {
            throw ValidationError("invalid argument \"\(text)\" for \"--\(flag)\" flag: time: invalid duration \"\(text)\"")
        }
        return value
    }

    /// pflag lets a boolean flag stand alone (`--leader-elect` means `--leader-elect=true`);
    /// ArgumentParser options need a value, so such flags get `=true` before parsing.
    static func normalizeBooleans(_ arguments: [String], booleans: Set<String>) -> [String] {
        arguments.map { booleans.contains($0) ? $0 + "=true" : $0 }
    }
}
