import Foundation
import KetchPKI
import Testing

/// `certs renew` and `certs check-expiration`.
@Suite struct RenewalTests {
    @Test func renewKeepsContentAndCAButNotTheKey() throws {
        let fixture = try RerunTests.copyOfShared("renew")
        defer { fixture.destroy() }
        let directory = PKIDirectory(fixture.path)
        let old = try directory.readCertificate("apiserver.crt")
        let oldKey = try fixture.bytes("apiserver.key")
        let ca = try fixture.bytes("ca.crt")
        let renewer = try CertificateRenewer(certificateDirectory: fixture.path)
        let later = Date().addingTimeInterval(60)  // still inside the 5-minute backdate
        let event = try renewer.renew("apiserver", now: later)
        #expect(event.description == "certificate for serving the Kubernetes API renewed")

        let new = try directory.readCertificate("apiserver.crt")
        #expect(new.subject == old.subject)
        #expect(new.dnsNames == old.dnsNames)
        #expect(new.ipAddresses == old.ipAddresses)
        #expect(new.extendedKeyUsages == old.extendedKeyUsages)
        #expect(new.notAfter > old.notAfter)
        #expect(new.serialNumberHex != old.serialNumberHex)
        #expect(try fixture.bytes("apiserver.key") != oldKey)  // kubeadm renews with a new key
        #expect(try fixture.mode("apiserver.key") == 0o600)
        #expect(try fixture.bytes("ca.crt") == ca)
        let verify = try OpenSSLCLI.run(["verify", "-CAfile", "ca.crt", "apiserver.crt"], in: fixture.path)
        #expect(verify.status == 0)
        // The renewed pair is consistent: init keeps using it.
        let events = try PKIBuilder(certificateDirectory: fixture.path, parameters: PKIFixture.parameters).run(phase: "apiserver")
        #expect(events.map(\.description) == ["[certs] Using existing apiserver certificate and key on disk"])
    }

    @Test func renewReportsMissingExternalAndUnknown() throws {
        let fixture = try RerunTests.copyOfShared("renew-edge")
        defer { fixture.destroy() }
        let renewer = try CertificateRenewer(certificateDirectory: fixture.path)
        try fixture.remove("etcd/peer.crt")
        #expect(try renewer.renew("etcd-peer").description == "MISSING! certificate for etcd nodes to communicate with each other")
        try fixture.remove("front-proxy-ca.key")
        #expect(try renewer.renew("front-proxy-client").description
            == "Detected external front-proxy-ca, certificate for the front proxy client can't be renewed")
        #expect(throws: PKIError.self) { try renewer.renew("ca") }
        #expect(renewer.renewableNames == [
            "admin.conf", "apiserver", "apiserver-etcd-client", "apiserver-kubelet-client", "controller-manager.conf",
            "etcd-healthcheck-client", "etcd-peer", "etcd-server", "front-proxy-client", "scheduler.conf", "super-admin.conf",
        ])
    }

    @Test func renewEmbeddedClientCertificate() throws {
        let made = try SharedPKI.rsa.get()
        let directory = PKIDirectory(made.path)
        let profiles = try PKIProfiles.kubeadm()
        let ca = try directory.readAuthority(try #require(profiles.certificate(named: "ca")))
        let admin = try ca.issueClientCertificate(commonName: "kubernetes-admin", organizations: ["kubeadm:cluster-admins"])
        let renewed = try CertificateRenewer(certificateDirectory: made.path).renew(embedded: admin.certificate)
        #expect(renewed.certificate.subject == admin.certificate.subject)
        #expect(renewed.certificate.extendedKeyUsages == [.clientAuth])
        #expect(renewed.certificate.isIssued(by: ca.certificate))
        #expect(renewed.key.matches(renewed.certificate))
        #expect(!admin.key.matches(renewed.certificate))
    }

    @Test func checkExpirationTable() throws {
        let made = try SharedPKI.rsa.get()
        let directory = PKIDirectory(made.path)
        let ca = try directory.readCertificate("ca.crt")
        let apiserver = try directory.readCertificate("apiserver.crt")
        let kubeconfigs = ["admin.conf", "controller-manager.conf", "scheduler.conf", "super-admin.conf"]
        let report = try ExpirationReport(
            certificateDirectory: made.path,
            kubeconfigCertificates: Dictionary(uniqueKeysWithValues: kubeconfigs.map { ($0, apiserver) }))
        let now = apiserver.notBefore.addingTimeInterval(300 + 3600)
        let leafDate = ExpirationReportFormatting.date(apiserver.notAfter)
        let caDate = ExpirationReportFormatting.date(ca.notAfter)
        #expect(report.rendered(now: now) == """
            CERTIFICATE                EXPIRES                  RESIDUAL TIME   CERTIFICATE AUTHORITY   EXTERNALLY MANAGED
            admin.conf                 \(leafDate)   364d            ca                      no      
            apiserver                  \(leafDate)   364d            ca                      no      
            apiserver-etcd-client      \(leafDate)   364d            etcd-ca                 no      
            apiserver-kubelet-client   \(leafDate)   364d            ca                      no      
            controller-manager.conf    \(leafDate)   364d            ca                      no      
            etcd-healthcheck-client    \(leafDate)   364d            etcd-ca                 no      
            etcd-peer                  \(leafDate)   364d            etcd-ca                 no      
            etcd-server                \(leafDate)   364d            etcd-ca                 no      
            front-proxy-client         \(leafDate)   364d            front-proxy-ca          no      
            scheduler.conf             \(leafDate)   364d            ca                      no      
            super-admin.conf           \(leafDate)   364d            ca                      no      

            CERTIFICATE AUTHORITY   EXPIRES                  RESIDUAL TIME   EXTERNALLY MANAGED
            ca                      \(caDate)   9y              no      
            etcd-ca                 \(caDate)   9y              no      
            front-proxy-ca          \(caDate)   9y              no      

            """)
        // A missing kubeconfig is a "!MISSING!" row, which widens the first column as Go's tabwriter does.
        let partial = try ExpirationReport(certificateDirectory: made.path).rendered(now: now)
        #expect(partial.contains("\n!MISSING! controller-manager.conf" + String(repeating: " ", count: 68) + "\n"))
        #expect(report.certificates.map(\.name) == [
            "admin.conf", "apiserver", "apiserver-etcd-client", "apiserver-kubelet-client", "controller-manager.conf",
            "etcd-healthcheck-client", "etcd-peer", "etcd-server", "front-proxy-client", "scheduler.conf", "super-admin.conf",
        ])
        #expect(report.authorities.map(\.name) == ["ca", "etcd-ca", "front-proxy-ca"])
    }

    static let residualCases: [(TimeInterval, String)] = [
        (-5, "<invalid>"), (-0.5, "0s"), (59, "59s"), (61, "1m"), (3599, "59m"), (7200, "2h"),
        (86400 * 364 + 10, "364d"), (86400 * 365, "1y"), (86400 * 3649, "9y"),
    ]

    @Test(arguments: residualCases)
    func residualTime(_ interval: TimeInterval, _ expected: String) {
        #expect(ExpirationReport.residualTime(interval) == expected)
    }
}

/// The date format of kubeadm's table, written out independently.
enum ExpirationReportFormatting {
    static func date(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "MMM dd, yyyy HH:mm 'UTC'"
        return formatter.string(from: date)
    }
}
