/// A failure of `ketch up`, printed as is.
public struct UpError: Error, CustomStringConvertible {
    /// The message.
    public let description: String

    /// A failure saying `description`.
    public init(_ description: String) { self.description = description }
}
