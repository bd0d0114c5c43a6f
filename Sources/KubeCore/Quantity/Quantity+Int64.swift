extension Quantity {
    /// Parses `text`; nil when apimachinery would refuse it.
    public init?(_ text: String) {
        guard let parsed = try? Quantity(parsing: text) else { return nil }
        self = parsed
    }

    /// `Value()` as Go's int64: rounded up, saturated at Int64's range.
    public var int64Value: Int64 { Int64(clamping: value) }

    /// `MilliValue()`: the value in thousandths, rounded up (`1` is 1000, `100m` is 100),
    /// saturated at Int64's range.
    public var milliValue: Int64 {
        let whole = nanos / 1_000_000
        return Int64(clamping: nanos % 1_000_000 > 0 ? whole + 1 : whole)
    }
}
