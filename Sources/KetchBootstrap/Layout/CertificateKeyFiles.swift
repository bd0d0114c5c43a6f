/// Where one certificate and its private key live, as kubeadm names them: `<base>.crt`, `<base>.key`.
public struct CertificateKeyFiles: Sendable, Equatable {
    public let certificate: String
    public let key: String

    public init(certificate: String, key: String) {
        self.certificate = certificate
        self.key = key
    }

    /// The pair `<directory>/<baseName>.crt` and `.key`; `baseName` may hold a folder (`etcd/server`).
    public init(directory: String, baseName: String) {
        self.init(certificate: directory + "/" + baseName + ".crt", key: directory + "/" + baseName + ".key")
    }
}
