import Foundation

/// `kubeadm certs check-expiration`: when each certificate and CA expires.
public struct ExpirationReport: Sendable {
    /// One table row; `expires` is nil when the certificate is missing.
    public struct Entry: Sendable, Hashable {
        /// kubeadm's row name (`apiserver`, `admin.conf`, `etcd-ca`).
        public var name: String
        /// notAfter; nil when the certificate is missing.
        public var expires: Date?
        /// The signing CA's name (empty in the CA table).
        public var authority: String
        /// The CA's key is absent (external CA), so Ketch cannot renew it.
        public var externallyManaged: Bool
    }

    /// Certificates and kubeconfig client certificates, sorted by name as kubeadm lists them.
    public var certificates: [Entry]
    /// CAs, sorted by name.
    public var authorities: [Entry]

    /// Reads every certificate in the directory.
    ///
    /// - Parameter kubeconfigCertificates: client certificates embedded in kubeconfig files, by
    ///   file name (`admin.conf`); a renewable kubeconfig absent from it is reported missing.
    public init(
        certificateDirectory: String,
        profiles: PKIProfiles? = nil,
        kubeconfigCertificates: [String: Certificate] = [:]
    ) throws {
        let profiles = try profiles ?? PKIProfiles.kubeadm()
        let directory = PKIDirectory(certificateDirectory)
        func keyless(_ authority: String) -> Bool {
            guard let profile = profiles.certificate(named: authority) else { return false }
            return directory.exists(profile.certFile) && !directory.exists(profile.keyFile)
        }
        func expiry(_ profile: CertificateProfile) throws -> Date? {
            directory.exists(profile.certFile) ? try directory.readCertificate(profile.certFile).notAfter : nil
        }

        var rows: [Entry] = []
        var cas: [Entry] = []
        for profile in profiles.certificates {
            if profile.isCA {
                cas.append(Entry(
                    name: profile.name, expires: try expiry(profile), authority: "",
                    externallyManaged: keyless(profile.name)))
            } else if let signer = profile.signer {
                rows.append(Entry(
                    name: profile.name, expires: try expiry(profile), authority: signer,
                    externallyManaged: keyless(signer)))
            }
        }
        for client in profiles.kubeconfigClients where client.renewable {
            rows.append(Entry(
                name: client.fileName, expires: kubeconfigCertificates[client.fileName]?.notAfter,
                authority: client.signer, externallyManaged: keyless(client.signer)))
        }
        certificates = rows.sorted { $0.name < $1.name }
        authorities = cas.sorted { $0.name < $1.name }
    }

    /// Both tables as kubeadm prints them (Go tabwriter: min width 10, padding 3).
    public func rendered(now: Date = Date()) -> String {
        var lines: [[String]] = [["CERTIFICATE", "EXPIRES", "RESIDUAL TIME", "CERTIFICATE AUTHORITY", "EXTERNALLY MANAGED"]]
        for entry in certificates {
            if let expires = entry.expires {
                lines.append([
                    entry.name, Self.formatDate(expires), Self.residualTime(expires.timeIntervalSince(now)),
                    entry.authority, Self.yesNo(entry.externallyManaged),
                ])
            } else {
                lines.append(["!MISSING! \(entry.name)", "", "", "", ""])
            }
        }
        var authorityLines: [[String]] = [["CERTIFICATE AUTHORITY", "EXPIRES", "RESIDUAL TIME", "EXTERNALLY MANAGED"]]
        for entry in authorities {
            if let expires = entry.expires {
                authorityLines.append([
                    entry.name, Self.formatDate(expires), Self.residualTime(expires.timeIntervalSince(now)),
                    Self.yesNo(entry.externallyManaged),
                ])
            } else {
                authorityLines.append(["!MISSING! \(entry.name)", "", "", ""])
            }
        }
        return Self.table(lines) + "\n" + Self.table(authorityLines)
    }

    /// Go's `duration.ShortHumanDuration` of the time left (`<invalid>` once expired).
    public static func residualTime(_ interval: TimeInterval) -> String {
        let seconds = Int64(interval.rounded(.towardZero))
        if seconds < -1 { return "<invalid>" }
        if seconds < 0 { return "0s" }
        if seconds < 60 { return "\(seconds)s" }
        if seconds / 60 < 60 { return "\(seconds / 60)m" }
        let hours = seconds / 3600
        if hours < 24 { return "\(hours)h" }
        if hours < 24 * 365 { return "\(hours / 24)d" }
        return "\(hours / 24 / 365)y"
    }

    /// Go's "Jan 02, 2006 15:04 MST" in UTC.
    static func formatDate(_ date: Date) -> String {
        var seconds = time_t(date.timeIntervalSince1970.rounded(.down))
        var parts = tm()
        gmtime_r(&seconds, &parts)
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        func two(_ value: Int32) -> String { value < 10 ? "0\(value)" : "\(value)" }
        return "\(months[Int(parts.tm_mon)]) \(two(parts.tm_mday)), \(parts.tm_year + 1900) "
            + "\(two(parts.tm_hour)):\(two(parts.tm_min)) UTC"
    }

    /// kubeadm prints the last column with `%-8v`.
    private static func yesNo(_ value: Bool) -> String {
        (value ? "yes" : "no").padding(toLength: 8, withPad: " ", startingAt: 0)
    }

    /// Go's tabwriter for a block of lines with equal cell counts: every cell but the last
    /// is padded to max(10, widest + 3).
    private static func table(_ lines: [[String]]) -> String {
        guard let columns = lines.first?.count, columns > 0 else { return "" }
        var widths = [Int](repeating: 10, count: columns - 1)
        for line in lines {
            for column in 0..<(columns - 1) { widths[column] = max(widths[column], line[column].count + 3) }
        }
        return lines.map { line in
            (0..<(columns - 1)).map { line[$0].padding(toLength: widths[$0], withPad: " ", startingAt: 0) }.joined()
                + line[columns - 1] + "\n"
        }.joined()
    }
}
