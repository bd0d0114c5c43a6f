/// The annotation names, provisioner name and event texts of volume binding and provisioning.
///
/// Ketch runs no storage plugin, so a simulated provisioner stands in for one: it answers for
/// any StorageClass whose provisioner is not `kubernetes.io/no-provisioner`, for the class
/// `standard` (which kind and minikube name their default) even when no such StorageClass
/// exists, and, while the cluster has no default class, for claims that name no class. Its
/// name, `ketch.dev/simulated`, is what claims and volumes it makes carry when no StorageClass
/// names another; volumes are `hostPath` volumes under `/tmp/ketch-pv/`, but no directory is
/// made, since simulated pods mount nothing.
public enum VolumeWellKnown {
    /// The simulated provisioner's name.
    public static let simulatedProvisioner = "ketch.dev/simulated"
    /// The class the simulated provisioner serves even without a StorageClass object.
    public static let standardClass = "standard"
    /// Where provisioned hostPath volumes claim to live.
    public static let hostPathRoot = "/tmp/ketch-pv"
    /// The provisioner of StorageClasses for statically made local volumes.
    public static let noProvisioner = "kubernetes.io/no-provisioner"
    /// The controller's name in `--controllers`.
    public static let component = "persistentvolume-binder-controller"
    /// The source of the binder's events, as upstream names it.
    public static let eventSource = "persistentvolume-controller"

    /// `pv.kubernetes.io/bind-completed`: the binder finished binding a claim.
    public static let bindCompleted = "pv.kubernetes.io/bind-completed"
    /// `pv.kubernetes.io/bound-by-controller`: the binder (not the user) chose the pairing.
    public static let boundByController = "pv.kubernetes.io/bound-by-controller"
    /// `volume.kubernetes.io/storage-provisioner`: the provisioner asked to make the volume.
    public static let storageProvisioner = "volume.kubernetes.io/storage-provisioner"
    /// `volume.beta.kubernetes.io/storage-provisioner`: the same, as older provisioners read it.
    public static let betaStorageProvisioner = "volume.beta.kubernetes.io/storage-provisioner"
    /// `volume.kubernetes.io/selected-node`: the node chosen for a WaitForFirstConsumer claim.
    public static let selectedNode = "volume.kubernetes.io/selected-node"
    /// `pv.kubernetes.io/provisioned-by`: the provisioner that made a volume.
    public static let provisionedBy = "pv.kubernetes.io/provisioned-by"
    /// `storageclass.kubernetes.io/is-default-class`: marks the default StorageClass.
    public static let isDefaultClass = "storageclass.kubernetes.io/is-default-class"
}
