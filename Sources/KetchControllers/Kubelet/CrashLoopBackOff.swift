/// The kubelet's restart back-off for a crashing container: the first exit restarts at once;
/// after that each restart waits 10 s, doubling per restart up to 5 minutes
/// (`--crash-loop-back-off` defaults in 1.33).
public enum CrashLoopBackOff {
    /// The first delay.
    public static let initial = 10
    /// The longest delay.
    public static let maximum = 300

    /// The seconds to wait before restarting a container that has already been restarted
    /// `restartCount` times and just exited again; 0 for the first exit.
    public static func delay(restartCount: Int) -> Int {
        guard restartCount > 0 else { return 0 }
        var seconds = initial
        for _ in 1..<restartCount where seconds < maximum { seconds *= 2 }
        return min(seconds, maximum)
    }

    /// The waiting message: `back-off 40s restarting failed container=app pod=web_default(<uid>)`.
    public static func message(seconds: Int, container: String, pod: String) -> String {
        "back-off \(goDuration(seconds: seconds)) restarting failed container=\(container) pod=\(pod)"
    }

    /// Whole seconds as Go's `time.Duration` prints them: `40s`, `1m20s`, `5m0s`.
    static func goDuration(seconds: Int) -> String {
        seconds < 60 ? "\(seconds)s" : "\(seconds / 60)m\(seconds % 60)s"
    }

    /// `name_namespace(uid)`, the kubelet's `format.Pod`.
    public static func podDescription(name: String, namespace: String, uid: String) -> String {
        "\(name)_\(namespace)(\(uid))"
    }
}
