/// kubeadm's certificate set, written out independently of pki/kubeadm.json so the tests
/// check the profiles against kubeadm rather than against themselves.
struct ExpectedCertificate: Sendable, CustomStringConvertible {
    var file: String
    var authorityFile: String
    var subject: String
    var isCA: Bool
    /// `openssl x509 -text` rendering of the extended key usage, nil for none.
    var extendedKeyUsage: String?
    /// `openssl x509 -text` rendering of the SANs.
    var subjectAltName: String
    var validityDays: Int

    var description: String { file }

    static let kubeadm: [ExpectedCertificate] = [
        .init(file: "ca.crt", authorityFile: "ca.crt", subject: "CN = kubernetes", isCA: true,
              extendedKeyUsage: nil, subjectAltName: "DNS:kubernetes", validityDays: 3650),
        .init(file: "apiserver.crt", authorityFile: "ca.crt", subject: "CN = kube-apiserver", isCA: false,
              extendedKeyUsage: "TLS Web Server Authentication",
              subjectAltName: "DNS:kubernetes, DNS:kubernetes.default, DNS:kubernetes.default.svc, "
                  + "DNS:kubernetes.default.svc.cluster.local, DNS:node-1, IP Address:10.96.0.1, IP Address:192.168.1.10",
              validityDays: 365),
        .init(file: "apiserver-kubelet-client.crt", authorityFile: "ca.crt",
              subject: "O = kubeadm:cluster-admins, CN = kube-apiserver-kubelet-client", isCA: false,
              extendedKeyUsage: "TLS Web Client Authentication", subjectAltName: "", validityDays: 365),
        .init(file: "front-proxy-ca.crt", authorityFile: "front-proxy-ca.crt", subject: "CN = front-proxy-ca", isCA: true,
              extendedKeyUsage: nil, subjectAltName: "DNS:front-proxy-ca", validityDays: 3650),
        .init(file: "front-proxy-client.crt", authorityFile: "front-proxy-ca.crt", subject: "CN = front-proxy-client",
              isCA: false, extendedKeyUsage: "TLS Web Client Authentication", subjectAltName: "", validityDays: 365),
        .init(file: "etcd/ca.crt", authorityFile: "etcd/ca.crt", subject: "CN = etcd-ca", isCA: true,
              extendedKeyUsage: nil, subjectAltName: "DNS:etcd-ca", validityDays: 3650),
        .init(file: "etcd/server.crt", authorityFile: "etcd/ca.crt", subject: "CN = node-1", isCA: false,
              extendedKeyUsage: "TLS Web Server Authentication, TLS Web Client Authentication",
              subjectAltName: "DNS:localhost, DNS:node-1, IP Address:192.168.1.10, IP Address:127.0.0.1, IP Address:0:0:0:0:0:0:0:1",
              validityDays: 365),
        .init(file: "etcd/peer.crt", authorityFile: "etcd/ca.crt", subject: "CN = node-1", isCA: false,
              extendedKeyUsage: "TLS Web Server Authentication, TLS Web Client Authentication",
              subjectAltName: "DNS:localhost, DNS:node-1, IP Address:192.168.1.10, IP Address:127.0.0.1, IP Address:0:0:0:0:0:0:0:1",
              validityDays: 365),
        .init(file: "etcd/healthcheck-client.crt", authorityFile: "etcd/ca.crt", subject: "CN = kube-etcd-healthcheck-client",
              isCA: false, extendedKeyUsage: "TLS Web Client Authentication", subjectAltName: "", validityDays: 365),
        .init(file: "apiserver-etcd-client.crt", authorityFile: "etcd/ca.crt", subject: "CN = kube-apiserver-etcd-client",
              isCA: false, extendedKeyUsage: "TLS Web Client Authentication", subjectAltName: "", validityDays: 365),
    ]

    static let keyFiles: [String] = kubeadm.map { String($0.file.dropLast(4)) + ".key" } + ["sa.key"]
}
