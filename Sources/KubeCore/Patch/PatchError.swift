/// Why a patch could not be applied. Messages follow the wording kube-apiserver's patch
/// libraries use (evanphx/json-patch, apimachinery's strategicpatch), since clients and
/// people compare them with what a real cluster says.
public struct PatchError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The message, e.g. `testing value /data/x failed: test failed`.
    public let message: String

    /// The HTTP status kube-apiserver answers with for this failure: 400 when the patch
    /// document itself is malformed, 422 when a well-formed patch does not apply.
    public let code: Int

    /// A patch error with `message`, answered with `code` (422 unless said otherwise).
    public init(_ message: String, code: Int = 422) {
        self.message = message
        self.code = code
    }

    /// A malformed patch document (HTTP 400).
    static func badRequest(_ message: String) -> PatchError {
        PatchError(message, code: 400)
    }

    /// The message.
    public var description: String { message }
}
