import Testing
@testable import KubeCore

struct BuiltinResourcesTests {
    @Test func storagePrefixesMatchKubeApiserver() {
        #expect(BuiltinResources.nodes.storagePrefix == "minions")
        #expect(BuiltinResources.services.storagePrefix == "services/specs")
        #expect(BuiltinResources.endpoints.storagePrefix == "services/endpoints")
        #expect(BuiltinResources.replicationControllers.storagePrefix == "controllers")
        #expect(BuiltinResources.ingresses.storagePrefix == "ingress")
        #expect(BuiltinResources.customResourceDefinitions.storagePrefix == "apiextensions.k8s.io/customresourcedefinitions")
        #expect(BuiltinResources.apiServices.storagePrefix == "apiregistration.k8s.io/apiservices")
        #expect(BuiltinResources.eventsV1.storagePrefix == "events")
        #expect(BuiltinResources.clusterRoleBindings.storagePrefix == "clusterrolebindings")
        #expect(BuiltinResources.services.key(namespace: "default", name: "kubernetes") == "/registry/services/specs/default/kubernetes")
        #expect(BuiltinResources.nodes.key(namespace: nil, name: "n1") == "/registry/minions/n1")
    }

    @Test func namesAsApiResourcesReports() {
        let d = BuiltinResources.deployments
        #expect(d.apiVersion == "apps/v1" && d.shortNames == ["deploy"] && d.categories == ["all"] && d.namespaced)
        #expect(d.subresources == ["scale", "status"])
        #expect(BuiltinResources.endpoints.singular == "endpoints")
        #expect(BuiltinResources.priorityClasses.shortNames == ["pc"])
        #expect(BuiltinResources.customResourceDefinitions.shortNames == ["crd", "crds"])
        #expect(BuiltinResources.namespaces.verbs.contains("deletecollection") == false)
        #expect(BuiltinResources.tokenReviews.verbs == ["create"])
        #expect(BuiltinResources.tokenReviews.isStored == false)
        #expect(BuiltinResources.pods.isStored)
        let all = Set(BuiltinResources.all.filter { $0.categories.contains("all") }.map(\.plural))
        #expect(all == ["pods", "services", "replicationcontrollers", "deployments", "replicasets", "statefulsets",
                        "daemonsets", "jobs", "cronjobs", "horizontalpodautoscalers"])
    }

    @Test func everySeededKindIsServed() {
        // Kinds kept in /registry by `ketch init`.
        let seeded = ["APIService", "CSINode", "ClusterRole", "ClusterRoleBinding", "ConfigMap", "EndpointSlice", "Endpoints",
                      "IPAddress", "Lease", "Namespace", "Node", "PriorityClass", "Role", "RoleBinding", "Service",
                      "ServiceAccount", "ServiceCIDR"]
        let kinds = Set(BuiltinResources.all.map(\.kind))
        for k in seeded { #expect(kinds.contains(k), "\(k)") }
    }

    @Test func noDuplicateGroupVersionResource() {
        let keys = BuiltinResources.all.map { "\($0.group)/\($0.version)/\($0.plural)" }
        #expect(Set(keys).count == keys.count)
    }

    @Test func subresourceResponseKinds() {
        let scale = BuiltinResources.deployments.subresourceInfo("scale")
        #expect(scale.group == "autoscaling" && scale.version == "v1" && scale.kind == "Scale" && scale.verbs == ["get", "patch", "update"])
        #expect(BuiltinResources.pods.subresourceInfo("exec").kind == "PodExecOptions")
        #expect(BuiltinResources.pods.subresourceInfo("eviction").group == "policy")
        #expect(BuiltinResources.nodes.subresourceInfo("proxy").kind == "NodeProxyOptions")
        #expect(BuiltinResources.serviceAccounts.subresourceInfo("token").kind == "TokenRequest")
        #expect(BuiltinResources.pods.subresourceInfo("status").kind == "Pod")
    }
}
