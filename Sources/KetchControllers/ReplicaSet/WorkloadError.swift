/// A failure of a workload controller's own making (not the apiserver's), with upstream's text.
struct WorkloadError: Error, CustomStringConvertible {
    /// The message, as upstream's `fmt.Errorf` writes it.
    let description: String

    /// An error saying `description`.
    init(_ description: String) { self.description = description }
}
