/// The two quantities the metrics API deals in, read from a pod's requests and limits and
/// written the way metrics-server writes its usage: CPU in nanocores (`resource.NewScaledQuantity(n,
/// resource.Nano)`, canonical decimal SI: `1364195n`, `12m`, `2`) and memory in bytes
/// (`resource.NewQuantity(b, resource.BinarySI)`, canonical binary SI: `33180Ki`, `2Mi`).
enum MetricsQuantity {
    /// The amount of a JSON quantity (a string, or a bare number some clients send), in units
    /// (cores, bytes) as a Double: enough for a simulation that scales it by a fraction. Nil
    /// when it is not a quantity.
    static func amount(_ json: JSONValue?) -> Double? {
        Quantity(json: json).map { Double($0.nanos) / 1e9 }
    }

    /// Nanocores in Go's canonical decimal SI form.
    static func cpu(nanocores: Int64) -> String {
        Quantity(nanos: Int128(nanocores), format: .decimalSI).description
    }

    /// Bytes in Go's canonical binary SI form.
    static func memory(bytes: Int64) -> String {
        Quantity(nanos: Int128(bytes) * 1_000_000_000, format: .binarySI).description
    }
}
