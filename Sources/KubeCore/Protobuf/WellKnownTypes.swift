import Foundation

/// The apimachinery types whose JSON form is written by hand in Go (MarshalJSON), turned
/// from their small protobuf messages into the same JSON.
enum WellKnownTypes {
    /// meta/v1 Time: `time.RFC3339` in UTC, whole seconds ("2024-01-02T03:04:05Z"). An empty
    /// message is Go's zero Time, which prints as null; nil tells the caller to omit it.
    static func time(_ reader: ProtobufReader) throws -> JSONValue? {
        // Go's RFC3339 layout drops the fraction, so nanos are read and ignored.
        guard let (seconds, _) = try timestamp(reader) else { return nil }
        return .string(rfc3339(seconds: seconds, micros: nil))
    }

    /// meta/v1 MicroTime: RFC 3339 with exactly six fractional digits
    /// ("2006-01-02T15:04:05.000000Z07:00" in Go's layout), in UTC.
    static func microTime(_ reader: ProtobufReader) throws -> JSONValue? {
        guard let (seconds, nanos) = try timestamp(reader) else { return nil }
        return .string(rfc3339(seconds: seconds, micros: Int(nanos) / 1000))
    }

    /// meta/v1 Duration: Go's `time.Duration.String()` of the nanosecond count.
    static func duration(_ reader: ProtobufReader) throws -> JSONValue {
        var reader = reader
        var nanoseconds: Int64 = 0
        while let (number, wireType) = try reader.readTag() {
            if number == 1, wireType == .varint {
                nanoseconds = Int64(bitPattern: try reader.readVarint())
            } else {
                try reader.skip(wireType)
            }
        }
        return .string(goDuration(nanoseconds))
    }

    /// util/intstr IntOrString: a JSON string when type is 1 (String), else a number.
    static func intOrString(_ reader: ProtobufReader) throws -> JSONValue {
        var reader = reader
        var kind: Int64 = 0
        var intVal: Int32 = 0
        var strVal = ""
        while let (number, wireType) = try reader.readTag() {
            switch (number, wireType) {
            case (1, .varint): kind = Int64(bitPattern: try reader.readVarint())
            case (2, .varint): intVal = Int32(truncatingIfNeeded: try reader.readVarint())
            case (3, .lengthDelimited): strVal = String(decoding: reader.slice(try reader.readLengthDelimited()), as: UTF8.self)
            default: try reader.skip(wireType)
            }
        }
        return kind == 1 ? .string(strVal) : .integer(Int(intVal))
    }

    /// api/resource Quantity: its text as sent. Go would re-canonicalize it ("1000m" → "1");
    /// the text is kept because clients send canonical forms and parsing is the reader's job.
    static func quantity(_ reader: ProtobufReader) throws -> JSONValue {
        .string(try stringField1(reader))
    }

    /// runtime RawExtension: its raw bytes are JSON (or, rarely, another k8s protobuf
    /// envelope). Empty means Go's nil Raw, printed as null; nil tells the caller to omit it.
    static func rawExtension(_ reader: ProtobufReader, depth: Int) throws -> JSONValue? {
        let raw = try bytesField1(reader)
        guard !raw.isEmpty else { return nil }
        if raw.starts(with: KubeProtobuf.magic) {
            return try KubeProtobuf.decode(raw, depth: depth + 1)
        }
        if let json = try? JSONValue(parsing: Data(raw)) { return json }
        return .string(Data(raw).base64EncodedString())
    }

    /// meta/v1 FieldsV1: the Raw bytes are the JSON of the field set.
    static func fieldsV1(_ reader: ProtobufReader) throws -> JSONValue? {
        let raw = try bytesField1(reader)
        guard !raw.isEmpty else { return nil }
        guard let json = try? JSONValue(parsing: Data(raw)) else {
            throw KubeProtobufError("protobuf: FieldsV1 is not JSON")
        }
        return json
    }

    /// A {repeated string items = 1} wrapper as a JSON array of strings.
    static func stringList(_ reader: ProtobufReader) throws -> JSONValue {
        var reader = reader
        var items: [JSONValue] = []
        while let (number, wireType) = try reader.readTag() {
            if number == 1, wireType == .lengthDelimited {
                items.append(.string(String(decoding: try reader.readBytes(), as: UTF8.self)))
            } else {
                try reader.skip(wireType)
            }
        }
        return .array(items)
    }

    // MARK: - Pieces

    /// Reads {int64 seconds = 1; int32 nanos = 2}; nil when the message is empty.
    private static func timestamp(_ reader: ProtobufReader) throws -> (Int64, Int32)? {
        var reader = reader
        guard !reader.isAtEnd else { return nil }
        var seconds: Int64 = 0
        var nanos: Int32 = 0
        while let (number, wireType) = try reader.readTag() {
            switch (number, wireType) {
            case (1, .varint): seconds = Int64(bitPattern: try reader.readVarint())
            case (2, .varint): nanos = Int32(truncatingIfNeeded: try reader.readVarint())
            default: try reader.skip(wireType)
            }
        }
        return (seconds, nanos)
    }

    /// Field 1 of a message as text.
    private static func stringField1(_ reader: ProtobufReader) throws -> String {
        String(decoding: try bytesField1(reader), as: UTF8.self)
    }

    /// Field 1 of a message as bytes (the last occurrence, per proto semantics).
    private static func bytesField1(_ reader: ProtobufReader) throws -> [UInt8] {
        var reader = reader
        var result: [UInt8] = []
        while let (number, wireType) = try reader.readTag() {
            if number == 1, wireType == .lengthDelimited {
                result = try reader.readBytes()
            } else {
                try reader.skip(wireType)
            }
        }
        return result
    }

    /// "YYYY-MM-DDTHH:MM:SS[.ffffff]Z" for Unix seconds, computed with the proleptic
    /// Gregorian calendar directly: no DateFormatter, which is neither cheap nor Sendable.
    static func rfc3339(seconds: Int64, micros: Int?) -> String {
        let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        let secondOfDay = seconds - days * 86_400
        let (year, month, day) = civilDate(daysSinceEpoch: days)
        var text = pad(Int(year), 4) + "-" + pad(month, 2) + "-" + pad(day, 2)
        text += "T" + pad(Int(secondOfDay / 3600), 2) + ":" + pad(Int(secondOfDay / 60 % 60), 2)
        text += ":" + pad(Int(secondOfDay % 60), 2)
        if let micros { text += "." + pad(micros, 6) }
        return text + "Z"
    }

    /// Year, month, day of a day count from 1970-01-01 (Howard Hinnant's civil_from_days).
    private static func civilDate(daysSinceEpoch: Int64) -> (Int64, Int, Int) {
        let z = daysSinceEpoch + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthPrime = (5 * dayOfYear + 2) / 153
        let day = Int(dayOfYear - (153 * monthPrime + 2) / 5 + 1)
        let month = Int(monthPrime < 10 ? monthPrime + 3 : monthPrime - 9)
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        return (year, month, day)
    }

    /// `value` in decimal, zero-padded to `width` digits.
    private static func pad(_ value: Int, _ width: Int) -> String {
        let digits = String(value)
        return digits.count >= width ? digits : String(repeating: "0", count: width - digits.count) + digits
    }

    /// Go's `time.Duration.String()`: "0s", "1.5s", "2m30s", "1h0m0s", "250ms", "3µs", "7ns".
    static func goDuration(_ nanoseconds: Int64) -> String {
        if nanoseconds == 0 { return "0s" }
        let sign = nanoseconds < 0 ? "-" : ""
        var magnitude = nanoseconds.magnitude
        if magnitude < 1_000_000_000 {
            // Under a second Go switches unit so the number stays small.
            let (unit, precision): (String, Int) =
                magnitude < 1_000 ? ("ns", 0) : magnitude < 1_000_000 ? ("µs", 3) : ("ms", 6)
            return sign + fraction(magnitude, precision: precision) + unit
        }
        let secondsText = fraction(magnitude % 60_000_000_000, precision: 9) + "s"
        magnitude /= 60_000_000_000
        guard magnitude > 0 else { return sign + secondsText }
        let minutes = magnitude % 60
        let hours = magnitude / 60
        return sign + (hours > 0 ? "\(hours)h" : "") + "\(minutes)m" + secondsText
    }

    /// `value / 10^precision` with the fraction's trailing zeros (and a bare point) removed.
    private static func fraction(_ value: UInt64, precision: Int) -> String {
        var scale: UInt64 = 1
        for _ in 0..<precision { scale *= 10 }
        let whole = value / scale
        var remainder = value % scale
        guard remainder != 0 else { return String(whole) }
        var digits = precision
        while remainder % 10 == 0 { remainder /= 10; digits -= 1 }
        return "\(whole)." + pad(Int(remainder), digits)
    }
}
