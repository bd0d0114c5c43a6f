import Foundation
import KubeCore

/// An `intstr.IntOrString` such as `maxSurge: 25%` or `maxUnavailable: 1`.
public enum IntOrPercent {
    /// Why a value cannot be scaled.
    public struct Invalid: Error, CustomStringConvertible {
        /// Upstream's message.
        public let description: String
    }

    /// Upstream's `GetScaledValueFromIntOrPercent`: an integer as it is, a percentage of
    /// `total` rounded up (`roundUp`) or down. Nil (unset) counts as 0.
    public static func scaled(_ value: JSONValue?, total: Int, roundUp: Bool) throws(Invalid) -> Int {
        guard let value, !value.isNull else { return 0 }
        if let number = value.int { return number }
        guard let text = value.string else { throw Invalid(description: "invalid value for IntOrString: invalid type: neither int nor percentage") }
        guard text.hasSuffix("%"), let percent = Int(text.dropLast()) else {
            throw Invalid(description: "invalid value for IntOrString: invalid type: string is not a percentage")
        }
        let exact = Double(percent) * Double(total) / 100
        return Int(roundUp ? exact.rounded(.up) : exact.rounded(.down))
    }
}
