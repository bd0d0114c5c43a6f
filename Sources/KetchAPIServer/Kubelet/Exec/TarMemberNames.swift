/// Keeps the member names of archives that `tar` writes in an exec'd "pod" what they would be
/// inside the real pod, although exec runs tar on the host with kubeadm paths rewritten.
///
/// `kubectl cp NS/POD:/etc/kubernetes/pki/ca.crt ./ca.crt` runs `tar cf - /etc/kubernetes/pki/ca.crt`
/// in the pod and, reading the archive, drops every member that does not start with the
/// source path (less its leading `/`): `etc/kubernetes/pki/ca.crt` (kubectl `cmd/cp/cp.go`,
/// `copyFromPod`/`untarAll`). With the path rewritten to `STATE/kubernetes/…`, GNU tar would
/// name members after the state directory instead, and kubectl reports `tar contents
/// corrupted`. So when tar creates an archive from rewritten paths, a `--transform` per
/// rewritten directory renames members back (GNU tar applies it after removing the leading
/// `/`). Uploads (`tar -xmf - -C /etc/kubernetes/…`) need nothing more: the `-C` directory
/// is rewritten like any argument and kubectl's members are relative.
enum TarMemberNames {
    /// `arguments` (the whole command, rewritten) with `--transform` options appended when it
    /// is a tar that creates an archive and `original` (the command as sent) differs from it.
    /// `mappings` pairs each in-pod directory with the host directory standing in for it.
    static func adjust(_ arguments: [String], original: [String], mappings: [(pod: String, host: String)]) -> [String] {
        guard arguments.count > 1, isTar(arguments[0]), creates(Array(arguments.dropFirst())),
              arguments != original else { return arguments }
        var options: [String] = []
        for mapping in mappings where mapping.pod != mapping.host {
            let host = relative(mapping.host), pod = relative(mapping.pod)
            guard !host.isEmpty, !pod.isEmpty else { continue }
            let delimiter = ["|", "#", "%", "@", "~", ";", ","].first { !host.contains($0) && !pod.contains($0) } ?? "|"
            // Only whole leading components: `^host` followed by `/` or the end of the name.
            let pattern = "^" + escapePattern(host, delimiter) + "\\(/\\|$\\)"
            let replacement = escapeReplacement(pod, delimiter) + "\\1"
            options.append("--transform=s\(delimiter)\(pattern)\(delimiter)\(replacement)\(delimiter)")
        }
        guard !options.isEmpty else { return arguments }
        // Options go before a `--` that ends them; GNU tar takes them after operands too.
        if let end = arguments.firstIndex(of: "--") {
            return Array(arguments[..<end]) + options + Array(arguments[end...])
        }
        return arguments + options
    }

    /// Whether `command` names tar (`tar`, `/bin/tar`, `/usr/bin/tar`).
    static func isTar(_ command: String) -> Bool {
        command.split(separator: "/").last.map(String.init) == "tar"
    }

    /// Whether tar `arguments` ask to create an archive: `--create`, or `c` in the old-style
    /// first argument (`cf`) or in a short-option cluster (`-czf`) before a letter that takes
    /// a value and so ends the cluster.
    static func creates(_ arguments: [String]) -> Bool {
        let takesValue = Set("fCTXbgKLNVHI")
        for (index, argument) in arguments.enumerated() {
            if argument == "--" { return false }
            if argument == "--create" { return true }
            if argument.hasPrefix("--") { continue }
            let oldStyle = index == 0 && !argument.hasPrefix("-")
            guard oldStyle || (argument.hasPrefix("-") && argument.count > 1) else { continue }
            for letter in argument.drop(while: { $0 == "-" }) {
                if letter == "c" { return true }
                if takesValue.contains(letter), !oldStyle { break }
            }
        }
        return false
    }

    /// An absolute path as GNU tar names members: without leading (or trailing) slashes.
    static func relative(_ path: String) -> String {
        var result = Substring(path)
        while result.hasPrefix("/") { result = result.dropFirst() }
        while result.hasSuffix("/") { result = result.dropLast() }
        return String(result)
    }

    /// `text` as a literal in a POSIX basic regular expression delimited by `delimiter`.
    static func escapePattern(_ text: String, _ delimiter: String) -> String {
        var out = ""
        for c in text {
            if "\\.[]*^$".contains(c) || String(c) == delimiter { out.append("\\") }
            out.append(c)
        }
        return out
    }

    /// `text` as a literal replacement (`&` and `\` are special) delimited by `delimiter`.
    static func escapeReplacement(_ text: String, _ delimiter: String) -> String {
        var out = ""
        for c in text {
            if c == "\\" || c == "&" || String(c) == delimiter { out.append("\\") }
            out.append(c)
        }
        return out
    }
}
