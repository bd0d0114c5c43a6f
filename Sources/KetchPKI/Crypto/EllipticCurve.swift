/// The NIST curves Ketch makes ECDSA keys on: P-256 for kubeadm's `ECDSA-P256`, P-521 for
/// etcd's `--auto-tls` certificate (Go's `elliptic.P521()` in `transport.SelfCert`).
public enum EllipticCurve: String, Sendable {
    case p256 = "P-256"
    case p521 = "P-521"
}
