/// A control-plane component that kubeadm runs as a static pod.
public enum ControlPlaneComponent: String, Sendable, CaseIterable {
    case etcd = "etcd"
    case kubeAPIServer = "kube-apiserver"
    case kubeControllerManager = "kube-controller-manager"
    case kubeScheduler = "kube-scheduler"

    /// The manifest file name, also the template's name under `manifests/`.
    public var manifestFileName: String { rawValue + ".yaml" }
}
