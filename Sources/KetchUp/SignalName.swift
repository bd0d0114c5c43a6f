#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The names `ketch up` prints for the signals it receives and that end its children.
public enum SignalName {
    private static let known: [Int32: String] = [
        SIGHUP: "SIGHUP", SIGINT: "SIGINT", SIGTERM: "SIGTERM", SIGKILL: "SIGKILL", SIGSEGV: "SIGSEGV",
        SIGABRT: "SIGABRT", SIGILL: "SIGILL", SIGTRAP: "SIGTRAP", SIGBUS: "SIGBUS",
    ]

    /// `SIGTERM` for 15, …; `nil` for a signal without a name here.
    public static func of(_ number: Int32) -> String? { known[number] }

    /// The name, or `signal N`.
    public static func describe(_ number: Int32) -> String { of(number) ?? "signal \(number)" }
}
