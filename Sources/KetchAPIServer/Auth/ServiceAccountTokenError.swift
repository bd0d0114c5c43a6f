/// Why service-account token keys could not be loaded or a token not be issued.
public enum ServiceAccountTokenError: Error, Sendable, Equatable {
    /// A key PEM held no usable key, or one that does not parse.
    case invalidKey(String)
    /// A token could not be produced (encoding or signing failed).
    case signingFailed(String)
}
