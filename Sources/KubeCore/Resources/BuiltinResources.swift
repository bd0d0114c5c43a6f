/// The built-in resources the shim serves, as kube-apiserver 1.33 describes them in discovery
/// (`kubectl api-resources`) and stores them under /registry.
///
/// Alpha and default-off beta APIs are left out, as a kubeadm 1.33 cluster leaves them out.
/// `componentstatuses` is left out too: it is deprecated, stored nowhere and would need probes.
public enum BuiltinResources {
    /// Verbs of create-only virtual resources (reviews, bindings).
    static let createOnly = ["create"]
    /// Verbs of resources without `deletecollection` (namespaces).
    static let noDeleteCollection = ["create", "delete", "get", "list", "patch", "update", "watch"]
    /// The category kube-apiserver gives its extension-registration APIs (`kubectl get api-extensions`).
    static let apiExtensions = ["api-extensions"]

    // MARK: core/v1

    /// core/v1 Pods.
    public static let pods = ResourceType(
        group: "", version: "v1", kind: "Pod", plural: "pods", shortNames: ["po"], categories: ["all"],
        namespaced: true, subresources: ["attach", "binding", "ephemeralcontainers", "eviction", "exec", "log", "portforward", "proxy", "resize", "status"])
    /// core/v1 Bindings: the create-only resource the scheduler posts (`pods/binding` is the same).
    public static let bindings = ResourceType(
        group: "", version: "v1", kind: "Binding", plural: "bindings", namespaced: true, verbs: createOnly)
    /// core/v1 ConfigMaps.
    public static let configMaps = ResourceType(
        group: "", version: "v1", kind: "ConfigMap", plural: "configmaps", shortNames: ["cm"], namespaced: true)
    /// core/v1 Endpoints, stored beside services under `services/endpoints`.
    public static let endpoints = ResourceType(
        group: "", version: "v1", kind: "Endpoints", plural: "endpoints", singular: "endpoints", shortNames: ["ep"],
        namespaced: true, storagePrefix: "services/endpoints")
    /// core/v1 Events.
    public static let events = ResourceType(
        group: "", version: "v1", kind: "Event", plural: "events", shortNames: ["ev"], namespaced: true)
    /// core/v1 LimitRanges.
    public static let limitRanges = ResourceType(
        group: "", version: "v1", kind: "LimitRange", plural: "limitranges", shortNames: ["limits"], namespaced: true)
    /// core/v1 Namespaces (no `deletecollection`: namespaces are deleted one by one).
    public static let namespaces = ResourceType(
        group: "", version: "v1", kind: "Namespace", plural: "namespaces", shortNames: ["ns"], namespaced: false,
        verbs: noDeleteCollection, subresources: ["finalize", "status"])
    /// core/v1 Nodes, stored under `minions`.
    public static let nodes = ResourceType(
        group: "", version: "v1", kind: "Node", plural: "nodes", shortNames: ["no"], namespaced: false,
        subresources: ["proxy", "status"], storagePrefix: "minions")
    /// core/v1 PersistentVolumeClaims.
    public static let persistentVolumeClaims = ResourceType(
        group: "", version: "v1", kind: "PersistentVolumeClaim", plural: "persistentvolumeclaims", shortNames: ["pvc"],
        namespaced: true, subresources: ["status"])
    /// core/v1 PersistentVolumes.
    public static let persistentVolumes = ResourceType(
        group: "", version: "v1", kind: "PersistentVolume", plural: "persistentvolumes", shortNames: ["pv"],
        namespaced: false, subresources: ["status"])
    /// core/v1 PodTemplates.
    public static let podTemplates = ResourceType(
        group: "", version: "v1", kind: "PodTemplate", plural: "podtemplates", namespaced: true)
    /// core/v1 ReplicationControllers, stored under `controllers`.
    public static let replicationControllers = ResourceType(
        group: "", version: "v1", kind: "ReplicationController", plural: "replicationcontrollers", shortNames: ["rc"],
        categories: ["all"], namespaced: true, subresources: ["scale", "status"], storagePrefix: "controllers")
    /// core/v1 ResourceQuotas.
    public static let resourceQuotas = ResourceType(
        group: "", version: "v1", kind: "ResourceQuota", plural: "resourcequotas", shortNames: ["quota"],
        namespaced: true, subresources: ["status"])
    /// core/v1 Secrets.
    public static let secrets = ResourceType(
        group: "", version: "v1", kind: "Secret", plural: "secrets", namespaced: true)
    /// core/v1 ServiceAccounts; `token` is the TokenRequest subresource.
    public static let serviceAccounts = ResourceType(
        group: "", version: "v1", kind: "ServiceAccount", plural: "serviceaccounts", shortNames: ["sa"],
        namespaced: true, subresources: ["token"])
    /// core/v1 Services, stored under `services/specs`.
    public static let services = ResourceType(
        group: "", version: "v1", kind: "Service", plural: "services", shortNames: ["svc"], categories: ["all"],
        namespaced: true, subresources: ["proxy", "status"], storagePrefix: "services/specs")

    // MARK: apps/v1

    /// apps/v1 ControllerRevisions.
    public static let controllerRevisions = ResourceType(
        group: "apps", version: "v1", kind: "ControllerRevision", plural: "controllerrevisions", namespaced: true)
    /// apps/v1 DaemonSets.
    public static let daemonSets = ResourceType(
        group: "apps", version: "v1", kind: "DaemonSet", plural: "daemonsets", shortNames: ["ds"], categories: ["all"],
        namespaced: true, subresources: ["status"])
    /// apps/v1 Deployments.
    public static let deployments = ResourceType(
        group: "apps", version: "v1", kind: "Deployment", plural: "deployments", shortNames: ["deploy"], categories: ["all"],
        namespaced: true, subresources: ["scale", "status"])
    /// apps/v1 ReplicaSets.
    public static let replicaSets = ResourceType(
        group: "apps", version: "v1", kind: "ReplicaSet", plural: "replicasets", shortNames: ["rs"], categories: ["all"],
        namespaced: true, subresources: ["scale", "status"])
    /// apps/v1 StatefulSets.
    public static let statefulSets = ResourceType(
        group: "apps", version: "v1", kind: "StatefulSet", plural: "statefulsets", shortNames: ["sts"], categories: ["all"],
        namespaced: true, subresources: ["scale", "status"])

    // MARK: events.k8s.io/v1

    /// events.k8s.io/v1 Events: the same stored objects as core Events, in the newer shape.
    public static let eventsV1 = ResourceType(
        group: "events.k8s.io", version: "v1", kind: "Event", plural: "events", shortNames: ["ev"], namespaced: true,
        storagePrefix: "events")

    // MARK: authentication.k8s.io/v1 and authorization.k8s.io/v1 (create-only reviews)

    /// authentication.k8s.io/v1 SelfSubjectReviews (`kubectl auth whoami`).
    public static let selfSubjectReviews = ResourceType(
        group: "authentication.k8s.io", version: "v1", kind: "SelfSubjectReview", plural: "selfsubjectreviews",
        namespaced: false, verbs: createOnly)
    /// authentication.k8s.io/v1 TokenReviews.
    public static let tokenReviews = ResourceType(
        group: "authentication.k8s.io", version: "v1", kind: "TokenReview", plural: "tokenreviews",
        namespaced: false, verbs: createOnly)
    /// authorization.k8s.io/v1 LocalSubjectAccessReviews.
    public static let localSubjectAccessReviews = ResourceType(
        group: "authorization.k8s.io", version: "v1", kind: "LocalSubjectAccessReview", plural: "localsubjectaccessreviews",
        namespaced: true, verbs: createOnly)
    /// authorization.k8s.io/v1 SelfSubjectAccessReviews (`kubectl auth can-i`).
    public static let selfSubjectAccessReviews = ResourceType(
        group: "authorization.k8s.io", version: "v1", kind: "SelfSubjectAccessReview", plural: "selfsubjectaccessreviews",
        namespaced: false, verbs: createOnly)
    /// authorization.k8s.io/v1 SelfSubjectRulesReviews (`kubectl auth can-i --list`).
    public static let selfSubjectRulesReviews = ResourceType(
        group: "authorization.k8s.io", version: "v1", kind: "SelfSubjectRulesReview", plural: "selfsubjectrulesreviews",
        namespaced: false, verbs: createOnly)
    /// authorization.k8s.io/v1 SubjectAccessReviews.
    public static let subjectAccessReviews = ResourceType(
        group: "authorization.k8s.io", version: "v1", kind: "SubjectAccessReview", plural: "subjectaccessreviews",
        namespaced: false, verbs: createOnly)

    // MARK: autoscaling

    /// autoscaling/v2 HorizontalPodAutoscalers (the preferred version).
    public static let horizontalPodAutoscalers = ResourceType(
        group: "autoscaling", version: "v2", kind: "HorizontalPodAutoscaler", plural: "horizontalpodautoscalers",
        shortNames: ["hpa"], categories: ["all"], namespaced: true, subresources: ["status"])
    /// autoscaling/v1 HorizontalPodAutoscalers: still served, and the APIService `v1.autoscaling`
    /// exists in a fresh cluster. Same storage as v2.
    public static let horizontalPodAutoscalersV1 = ResourceType(
        group: "autoscaling", version: "v1", kind: "HorizontalPodAutoscaler", plural: "horizontalpodautoscalers",
        shortNames: ["hpa"], categories: ["all"], namespaced: true, subresources: ["status"])

    // MARK: batch/v1

    /// batch/v1 CronJobs.
    public static let cronJobs = ResourceType(
        group: "batch", version: "v1", kind: "CronJob", plural: "cronjobs", shortNames: ["cj"], categories: ["all"],
        namespaced: true, subresources: ["status"])
    /// batch/v1 Jobs.
    public static let jobs = ResourceType(
        group: "batch", version: "v1", kind: "Job", plural: "jobs", categories: ["all"], namespaced: true,
        subresources: ["status"])

    // MARK: certificates.k8s.io/v1

    /// certificates.k8s.io/v1 CertificateSigningRequests.
    public static let certificateSigningRequests = ResourceType(
        group: "certificates.k8s.io", version: "v1", kind: "CertificateSigningRequest", plural: "certificatesigningrequests",
        shortNames: ["csr"], namespaced: false, subresources: ["approval", "status"])

    // MARK: networking.k8s.io/v1

    /// networking.k8s.io/v1 IngressClasses.
    public static let ingressClasses = ResourceType(
        group: "networking.k8s.io", version: "v1", kind: "IngressClass", plural: "ingressclasses", namespaced: false)
    /// networking.k8s.io/v1 Ingresses, stored under the singular `ingress` (a kube-apiserver quirk).
    public static let ingresses = ResourceType(
        group: "networking.k8s.io", version: "v1", kind: "Ingress", plural: "ingresses", shortNames: ["ing"],
        namespaced: true, subresources: ["status"], storagePrefix: "ingress")
    /// networking.k8s.io/v1 IPAddresses (GA in 1.33; one exists per allocated service IP).
    public static let ipAddresses = ResourceType(
        group: "networking.k8s.io", version: "v1", kind: "IPAddress", plural: "ipaddresses", shortNames: ["ip"],
        namespaced: false)
    /// networking.k8s.io/v1 NetworkPolicies.
    public static let networkPolicies = ResourceType(
        group: "networking.k8s.io", version: "v1", kind: "NetworkPolicy", plural: "networkpolicies", shortNames: ["netpol"],
        namespaced: true)
    /// networking.k8s.io/v1 ServiceCIDRs (GA in 1.33; `kubernetes` exists in a fresh cluster).
    public static let serviceCIDRs = ResourceType(
        group: "networking.k8s.io", version: "v1", kind: "ServiceCIDR", plural: "servicecidrs", namespaced: false,
        subresources: ["status"])

    // MARK: policy/v1

    /// policy/v1 PodDisruptionBudgets.
    public static let podDisruptionBudgets = ResourceType(
        group: "policy", version: "v1", kind: "PodDisruptionBudget", plural: "poddisruptionbudgets", shortNames: ["pdb"],
        namespaced: true, subresources: ["status"])

    // MARK: rbac.authorization.k8s.io/v1

    /// rbac.authorization.k8s.io/v1 ClusterRoleBindings.
    public static let clusterRoleBindings = ResourceType(
        group: "rbac.authorization.k8s.io", version: "v1", kind: "ClusterRoleBinding", plural: "clusterrolebindings",
        namespaced: false)
    /// rbac.authorization.k8s.io/v1 ClusterRoles.
    public static let clusterRoles = ResourceType(
        group: "rbac.authorization.k8s.io", version: "v1", kind: "ClusterRole", plural: "clusterroles", namespaced: false)
    /// rbac.authorization.k8s.io/v1 RoleBindings.
    public static let roleBindings = ResourceType(
        group: "rbac.authorization.k8s.io", version: "v1", kind: "RoleBinding", plural: "rolebindings", namespaced: true)
    /// rbac.authorization.k8s.io/v1 Roles.
    public static let roles = ResourceType(
        group: "rbac.authorization.k8s.io", version: "v1", kind: "Role", plural: "roles", namespaced: true)

    // MARK: storage.k8s.io/v1

    /// storage.k8s.io/v1 CSIDrivers.
    public static let csiDrivers = ResourceType(
        group: "storage.k8s.io", version: "v1", kind: "CSIDriver", plural: "csidrivers", namespaced: false)
    /// storage.k8s.io/v1 CSINodes (one per node, written by the kubelet).
    public static let csiNodes = ResourceType(
        group: "storage.k8s.io", version: "v1", kind: "CSINode", plural: "csinodes", namespaced: false)
    /// storage.k8s.io/v1 CSIStorageCapacities.
    public static let csiStorageCapacities = ResourceType(
        group: "storage.k8s.io", version: "v1", kind: "CSIStorageCapacity", plural: "csistoragecapacities", namespaced: true)
    /// storage.k8s.io/v1 StorageClasses.
    public static let storageClasses = ResourceType(
        group: "storage.k8s.io", version: "v1", kind: "StorageClass", plural: "storageclasses", shortNames: ["sc"],
        namespaced: false)
    /// storage.k8s.io/v1 VolumeAttachments.
    public static let volumeAttachments = ResourceType(
        group: "storage.k8s.io", version: "v1", kind: "VolumeAttachment", plural: "volumeattachments", namespaced: false,
        subresources: ["status"])

    // MARK: admissionregistration.k8s.io/v1

    /// admissionregistration.k8s.io/v1 MutatingWebhookConfigurations.
    public static let mutatingWebhookConfigurations = ResourceType(
        group: "admissionregistration.k8s.io", version: "v1", kind: "MutatingWebhookConfiguration",
        plural: "mutatingwebhookconfigurations", categories: apiExtensions, namespaced: false)
    /// admissionregistration.k8s.io/v1 ValidatingAdmissionPolicies (GA since 1.30).
    public static let validatingAdmissionPolicies = ResourceType(
        group: "admissionregistration.k8s.io", version: "v1", kind: "ValidatingAdmissionPolicy",
        plural: "validatingadmissionpolicies", categories: apiExtensions, namespaced: false, subresources: ["status"])
    /// admissionregistration.k8s.io/v1 ValidatingAdmissionPolicyBindings.
    public static let validatingAdmissionPolicyBindings = ResourceType(
        group: "admissionregistration.k8s.io", version: "v1", kind: "ValidatingAdmissionPolicyBinding",
        plural: "validatingadmissionpolicybindings", categories: apiExtensions, namespaced: false)
    /// admissionregistration.k8s.io/v1 ValidatingWebhookConfigurations.
    public static let validatingWebhookConfigurations = ResourceType(
        group: "admissionregistration.k8s.io", version: "v1", kind: "ValidatingWebhookConfiguration",
        plural: "validatingwebhookconfigurations", categories: apiExtensions, namespaced: false)

    // MARK: apiextensions.k8s.io/v1

    /// apiextensions.k8s.io/v1 CustomResourceDefinitions, stored under their group-qualified prefix.
    public static let customResourceDefinitions = ResourceType(
        group: "apiextensions.k8s.io", version: "v1", kind: "CustomResourceDefinition", plural: "customresourcedefinitions",
        shortNames: ["crd", "crds"], categories: apiExtensions, namespaced: false, subresources: ["status"],
        storagePrefix: "apiextensions.k8s.io/customresourcedefinitions")

    // MARK: scheduling.k8s.io/v1, coordination.k8s.io/v1, node.k8s.io/v1, discovery.k8s.io/v1

    /// scheduling.k8s.io/v1 PriorityClasses.
    public static let priorityClasses = ResourceType(
        group: "scheduling.k8s.io", version: "v1", kind: "PriorityClass", plural: "priorityclasses", shortNames: ["pc"],
        namespaced: false)
    /// coordination.k8s.io/v1 Leases.
    public static let leases = ResourceType(
        group: "coordination.k8s.io", version: "v1", kind: "Lease", plural: "leases", namespaced: true)
    /// node.k8s.io/v1 RuntimeClasses.
    public static let runtimeClasses = ResourceType(
        group: "node.k8s.io", version: "v1", kind: "RuntimeClass", plural: "runtimeclasses", namespaced: false)
    /// discovery.k8s.io/v1 EndpointSlices.
    public static let endpointSlices = ResourceType(
        group: "discovery.k8s.io", version: "v1", kind: "EndpointSlice", plural: "endpointslices", namespaced: true)

    // MARK: flowcontrol.apiserver.k8s.io/v1

    /// flowcontrol.apiserver.k8s.io/v1 FlowSchemas.
    public static let flowSchemas = ResourceType(
        group: "flowcontrol.apiserver.k8s.io", version: "v1", kind: "FlowSchema", plural: "flowschemas",
        namespaced: false, subresources: ["status"])
    /// flowcontrol.apiserver.k8s.io/v1 PriorityLevelConfigurations.
    public static let priorityLevelConfigurations = ResourceType(
        group: "flowcontrol.apiserver.k8s.io", version: "v1", kind: "PriorityLevelConfiguration",
        plural: "prioritylevelconfigurations", namespaced: false, subresources: ["status"])

    // MARK: apiregistration.k8s.io/v1

    /// apiregistration.k8s.io/v1 APIServices, stored under their group-qualified prefix.
    public static let apiServices = ResourceType(
        group: "apiregistration.k8s.io", version: "v1", kind: "APIService", plural: "apiservices",
        categories: apiExtensions, namespaced: false, subresources: ["status"],
        storagePrefix: "apiregistration.k8s.io/apiservices")

    /// Every built-in resource: groups in discovery order, resources alphabetical within a
    /// group version as kube-apiserver lists them.
    public static let all: [ResourceType] = [
        bindings, configMaps, endpoints, events, limitRanges, namespaces, nodes, persistentVolumeClaims,
        persistentVolumes, pods, podTemplates, replicationControllers, resourceQuotas, secrets, serviceAccounts, services,
        controllerRevisions, daemonSets, deployments, replicaSets, statefulSets,
        eventsV1,
        selfSubjectReviews, tokenReviews,
        localSubjectAccessReviews, selfSubjectAccessReviews, selfSubjectRulesReviews, subjectAccessReviews,
        horizontalPodAutoscalers, horizontalPodAutoscalersV1,
        cronJobs, jobs,
        certificateSigningRequests,
        ingressClasses, ingresses, ipAddresses, networkPolicies, serviceCIDRs,
        podDisruptionBudgets,
        clusterRoleBindings, clusterRoles, roleBindings, roles,
        csiDrivers, csiNodes, csiStorageCapacities, storageClasses, volumeAttachments,
        mutatingWebhookConfigurations, validatingAdmissionPolicies, validatingAdmissionPolicyBindings,
        validatingWebhookConfigurations,
        customResourceDefinitions,
        priorityClasses,
        leases,
        runtimeClasses,
        endpointSlices,
        flowSchemas, priorityLevelConfigurations,
        apiServices,
        nodeMetrics, podMetrics,
    ]
}
