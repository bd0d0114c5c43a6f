import GoText

/// A string as Go's `strconv.Quote` (`%q`) prints it, for messages that must match
/// kube-apiserver's byte for byte (`Invalid value: "abc"`, `"foo" is not a known field selector`);
/// see ``GoText/GoQuote``.
public func goQuoted(_ text: String) -> String { GoQuote.quote(text) }
