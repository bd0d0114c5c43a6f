import Foundation

/// The running executable, which `ketch up` starts again for each child.
public enum CurrentExecutable {
    /// The resolved `/proc/self/exe` on Linux (minus the " (deleted)" the kernel adds after a
    /// rebuild replaced the file, so restarts run the new build), else Foundation's idea of it,
    /// else `argv[0]` made absolute.
    public static var path: String {
        #if os(Linux)
        if var path = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") {
            if path.hasSuffix(" (deleted)") { path.removeLast(" (deleted)".count) }
            return path
        }
        #endif
        if let path = Bundle.main.executablePath { return path }
        let first = CommandLine.arguments[0]
        return first.hasPrefix("/") ? first : FileManager.default.currentDirectoryPath + "/" + first
    }
}
