import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// What every child of `ketch up` does before it becomes its component (`ketch up _exec-child`):
/// it readies the process the way the kubelet's container runtime would, then replaces itself.
///
/// - On Linux it asks for SIGTERM when `ketch up` dies (`PR_SET_PDEATHSIG`), so children never
///   outlive a `ketch up` that was killed outright (SIGKILL, OOM); the setting survives exec.
///   Foundation's `Process` offers no way to set it, hence this step. Elsewhere a killed
///   `ketch up` leaves its children running (they are in their own process groups: `Process`
///   starts each child as a group leader) and `pkill -f STATE_DIR` stops them.
/// - It puts back the default signal dispositions and an empty signal mask: `ketch up` ignores
///   SIGINT/SIGTERM to handle them with Dispatch sources, and ignored signals are inherited
///   across exec, which would leave a component deaf to SIGTERM.
public enum ChildExec {
    /// `ketch up` (`parentPID`) was gone before the parent-death signal was in place.
    public struct ParentExited: Error {}

    /// Readies this process as a child of `parentPID`, then execs `executable` with `arguments`
    /// (the program name is prepended). Returns only by throwing: ``ParentExited``, or
    /// ``UpError`` when a step fails.
    public static func exec(_ executable: String, arguments: [String], parentPID: Int32) throws -> Never {
        #if os(Linux)
        guard ParentDeathSignal.request(SIGTERM) else {
            throw UpError("cannot ask for a parent-death signal (prctl PR_SET_PDEATHSIG)")
        }
        #endif
        // `ketch up` may have died between spawning this process and the request above; the
        // signal would never come then.
        guard getppid() == parentPID else { throw ParentExited() }
        for number in [SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGPIPE, SIGCHLD] {
            signal(number, SIG_DFL)
        }
        var none = sigset_t()
        sigemptyset(&none)
        sigprocmask(SIG_SETMASK, &none, nil)

        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        execv(executable, argv)
        throw UpError("cannot run \(executable): \(String(cString: strerror(errno)))")
    }
}

#if os(Linux)
/// `prctl(PR_SET_PDEATHSIG, signal)`. prctl is a C variadic function, which Swift does not
/// import; on Linux's calling conventions (x86-64 and AArch64) calling it through a
/// non-variadic pointer passes the integer arguments the same way.
enum ParentDeathSignal {
    static func request(_ signal: Int32) -> Bool {
        typealias Prctl = @convention(c) (Int32, UInt, UInt, UInt, UInt) -> Int32
        guard let handle = dlopen(nil, RTLD_NOW), let symbol = dlsym(handle, "prctl") else { return false }
        let prctl = unsafeBitCast(symbol, to: Prctl.self)
        let setParentDeathSignal: Int32 = 1  // PR_SET_PDEATHSIG, <linux/prctl.h>
        return prctl(setParentDeathSignal, UInt(signal), 0, 0, 0) == 0
    }
}
#endif
