/// Why a label or field selector could not be parsed. kube-apiserver answers a list or watch
/// with such a selector with 400 Bad Request and this message, e.g.
/// `unable to parse requirement: found '', expected: identifier`.
public struct SelectorError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The message, worded as apimachinery's `labels` and `fields` packages word it.
    public let message: String

    /// An error with `message`.
    public init(_ message: String) {
        self.message = message
    }

    /// The message.
    public var description: String { message }
}
