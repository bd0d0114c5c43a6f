/// Where one certificate and its private key live, as kubeadm names them: `<base>.crt`, `<base>.key`.
public struct CertificateKeyFiles: Sendable, Equatable {
    /// The certificate's path.
    public let certificate: String
    /// The private key's path.
    public let key: String
}

extension CertificateKeyFiles {
    /// The pair `<directory>/<baseName>.crt` and `.key`; `baseName` may hold a folder (`etcd/server`).
    public init(directory: String, baseName: String) {
        self.init(certificate: directory + "/" + baseName + ".crt", key: directory + "/" + baseName + ".key")
    }
}
