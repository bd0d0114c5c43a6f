/// A string as Go's `strconv.Quote` (`%q`) prints it, for messages that must match
/// kube-apiserver's byte for byte (`Invalid value: "abc"`, `"foo" is not a known field selector`).
///
/// Printable characters stay as they are; `"` and `\` are escaped; `\a \b \f \n \r \t \v` use
/// their short escapes; other control characters become `\xHH`, and other unprintable ones
/// `\uHHHH` or `\UHHHHHHHH` (lower-case hex, as Go writes them).
public func goQuoted(_ text: String) -> String {
    var result = "\""
    for scalar in text.unicodeScalars {
        switch scalar {
        case "\"": result += "\\\""
        case "\\": result += "\\\\"
        case _ where isGoPrintable(scalar): result.unicodeScalars.append(scalar)
        case "\u{07}": result += "\\a"
        case "\u{08}": result += "\\b"
        case "\u{0C}": result += "\\f"
        case "\n": result += "\\n"
        case "\r": result += "\\r"
        case "\t": result += "\\t"
        case "\u{0B}": result += "\\v"
        case _ where scalar.value < 0x20 || scalar.value == 0x7F: result += "\\x" + hex(scalar.value, width: 2)
        case _ where scalar.value < 0x10000: result += "\\u" + hex(scalar.value, width: 4)
        default: result += "\\U" + hex(scalar.value, width: 8)
        }
    }
    return result + "\""
}

/// Go's `unicode.IsPrint`: letters, marks, numbers, punctuation, symbols and the ASCII space.
private func isGoPrintable(_ scalar: Unicode.Scalar) -> Bool {
    if scalar == " " { return true }
    switch scalar.properties.generalCategory {
    case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter,
         .nonspacingMark, .spacingMark, .enclosingMark,
         .decimalNumber, .letterNumber, .otherNumber,
         .connectorPunctuation, .dashPunctuation, .openPunctuation, .closePunctuation,
         .initialPunctuation, .finalPunctuation, .otherPunctuation,
         .mathSymbol, .currencySymbol, .modifierSymbol, .otherSymbol:
        return true
    default:
        return false
    }
}

/// `value` in lower-case hex, zero-padded to `width` digits.
private func hex(_ value: UInt32, width: Int) -> String {
    let digits = String(value, radix: 16)
    return String(repeating: "0", count: max(0, width - digits.count)) + digits
}
