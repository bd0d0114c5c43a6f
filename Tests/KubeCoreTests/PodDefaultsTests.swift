import Foundation
import KubeCore
import Testing

/// Pods, Services and storage objects as kube-apiserver 1.33 stores them: core/v1 defaulting,
/// the pod strategy's fresh status, and the admission plugins' additions (DefaultTolerationSeconds,
/// ServiceAccount, Priority, DefaultStorageClass).
@Suite struct PodDefaultsTests {
    private func json(_ text: String) throws -> JSONValue { try JSONValue(parsing: Data(text.utf8)) }

    private func create(_ text: String, _ type: ResourceType) throws -> JSONValue {
        ObjectDefaults.forCreate(try json(text), type, namespace: "default", fieldManager: nil)
    }

    @Test func aPodAsKubectlRunLeavesIt() throws {
        let pod = try create(#"""
        {"metadata":{"name":"p1"},"spec":{"containers":[{"name":"p1","image":"busybox:1.36",
          "ports":[{"containerPort":80}],"env":[{"name":"N","valueFrom":{"fieldRef":{"fieldPath":"metadata.name"}}}],
          "readinessProbe":{"httpGet":{"port":80}},"resources":{"limits":{"cpu":"1","memory":"1Gi"}}}],
          "volumes":[{"name":"scratch"},{"name":"cfg","configMap":{"name":"c"}}]},
         "status":{"phase":"Running"}}
        """#, BuiltinResources.pods)
        let spec = try #require(pod["spec"])
        #expect(spec["enableServiceLinks"] == .bool(true))
        #expect(spec["serviceAccountName"] == .string("default") && spec["serviceAccount"] == .string("default"))
        #expect(spec["tolerations"] == (try json(#"""
        [{"key":"node.kubernetes.io/not-ready","operator":"Exists","effect":"NoExecute","tolerationSeconds":300},
         {"key":"node.kubernetes.io/unreachable","operator":"Exists","effect":"NoExecute","tolerationSeconds":300}]
        """#)))
        let c = try #require(spec["containers"]?.array?.first)
        #expect(c["imagePullPolicy"] == .string("IfNotPresent"))
        #expect(c["ports"]?.array?.first?["protocol"] == .string("TCP"))
        #expect(c["ports"]?.array?.first?["hostPort"] == nil)
        #expect(c["env"]?.array?.first?["valueFrom"]?["fieldRef"]?["apiVersion"] == .string("v1"))
        #expect(c["readinessProbe"] == (try json(#"{"httpGet":{"port":80,"path":"/","scheme":"HTTP"},"timeoutSeconds":1,"periodSeconds":10,"successThreshold":1,"failureThreshold":3}"#)))
        #expect(c["resources"]?["requests"] == (try json(#"{"cpu":"1","memory":"1Gi"}"#)))
        #expect(spec["volumes"] == (try json(#"[{"name":"scratch","emptyDir":{}},{"name":"cfg","configMap":{"name":"c","defaultMode":420}}]"#)))
        // The strategy's fresh status replaces what the client sent.
        #expect(pod["status"] == (try json(#"{"phase":"Pending","qosClass":"Guaranteed"}"#)))
    }

    @Test func hostNetworkGatesAndExistingTolerations() throws {
        let pod = try create(#"""
        {"metadata":{"name":"h","annotations":{"kubernetes.io/config.mirror":"abc"}},
         "spec":{"hostNetwork":true,"schedulingGates":[{"name":"wait"}],
          "tolerations":[{"operator":"Exists"}],
          "containers":[{"name":"c","image":"registry.local:5000/app","ports":[{"containerPort":8080}]}]}}
        """#, BuiltinResources.pods)
        let spec = try #require(pod["spec"])
        #expect(spec["containers"]?.array?.first?["ports"]?.array?.first?["hostPort"] == .integer(8080))
        #expect(spec["containers"]?.array?.first?["imagePullPolicy"] == .string("Always"))
        // Tolerating everything already covers both taints; a mirror pod keeps no account.
        #expect(spec["tolerations"] == (try json(#"[{"operator":"Exists"}]"#)))
        #expect(spec["serviceAccountName"] == nil)
        #expect(pod["status"] == (try json(#"""
        {"phase":"Pending","qosClass":"BestEffort","conditions":[{"type":"PodScheduled","status":"False","reason":"SchedulingGated",
         "message":"Scheduling is blocked due to non-empty scheduling gates","lastProbeTime":null,"lastTransitionTime":null}]}
        """#)))
    }

    @Test func imagePullPolicyReadsTagsAsParseImageName() {
        #expect(PodDefaults.imagePullPolicy(image: "nginx") == "Always")
        #expect(PodDefaults.imagePullPolicy(image: "nginx:latest") == "Always")
        #expect(PodDefaults.imagePullPolicy(image: "localhost:5000/nginx") == "Always")
        #expect(PodDefaults.imagePullPolicy(image: "localhost:5000/nginx:1.2") == "IfNotPresent")
        #expect(PodDefaults.imagePullPolicy(image: "nginx@sha256:abcd") == "IfNotPresent")
        #expect(PodDefaults.imagePullPolicy(image: "nginx:latest@sha256:abcd") == "Always")
    }

    @Test func priorityAdmission() throws {
        let classes = [
            try json(#"{"metadata":{"name":"system-node-critical"},"value":2000001000,"preemptionPolicy":"PreemptLowerPriority"}"#),
            try json(#"{"metadata":{"name":"batch"},"value":10,"preemptionPolicy":"Never"}"#),
        ]
        let plain = try PodAdmission.resolvingPriority(try json(#"{"metadata":{"name":"a"},"spec":{}}"#), priorityClasses: classes, name: "a")
        #expect(plain["spec"]?["priority"] == .integer(0) && plain["spec"]?["preemptionPolicy"] == .string("PreemptLowerPriority"))
        let batch = try PodAdmission.resolvingPriority(try json(#"{"spec":{"priorityClassName":"batch"}}"#), priorityClasses: classes, name: "b")
        #expect(batch["spec"]?["priority"] == .integer(10) && batch["spec"]?["preemptionPolicy"] == .string("Never"))
        #expect(throws: KubeStatus.admissionForbidden(BuiltinResources.pods, name: "web-", "no PriorityClass with name gold was found")) {
            try PodAdmission.resolvingPriority(try json(#"{"spec":{"priorityClassName":"gold"}}"#), priorityClasses: classes, name: "web-")
        }
        let forged = try json(#"{"spec":{"priorityClassName":"batch","priority":5}}"#)
        let error = try #require(throws: KubeStatus.self) { try PodAdmission.resolvingPriority(forged, priorityClasses: classes, name: "f") }
        #expect(error.code == 403 && error.message == #"pods "f" is forbidden: the integer value of priority (5) must not be provided in pod spec; priority admission controller computed 10 from the given PriorityClass name"#)
        // A global default class applies to pods that name none.
        let withDefault = classes + [try json(#"{"metadata":{"name":"low"},"value":-5,"globalDefault":true}"#)]
        let defaulted = try PodAdmission.resolvingPriority(try json(#"{"spec":{}}"#), priorityClasses: withDefault, name: "d")
        #expect(defaulted["spec"]?["priorityClassName"] == .string("low") && defaulted["spec"]?["priority"] == .integer(-5))
    }

    @Test func serviceDefaultsByType() throws {
        let type = BuiltinResources.services
        let lb = try create(#"{"metadata":{"name":"lb"},"spec":{"type":"LoadBalancer","selector":{"a":"b"},"sessionAffinity":"ClientIP","ports":[{"port":80,"targetPort":0}]}}"#, type)
        let spec = try #require(lb["spec"])
        #expect(spec["externalTrafficPolicy"] == .string("Cluster") && spec["internalTrafficPolicy"] == .string("Cluster"))
        #expect(spec["allocateLoadBalancerNodePorts"] == .bool(true))
        #expect(spec["sessionAffinityConfig"] == (try json(#"{"clientIP":{"timeoutSeconds":10800}}"#)))
        #expect(spec["ports"] == (try json(#"[{"port":80,"targetPort":80,"protocol":"TCP"}]"#)))
        let external = try create(#"{"metadata":{"name":"x"},"spec":{"type":"ExternalName","externalName":"example.com"}}"#, type)
        #expect(external["spec"]?["ipFamilies"] == nil && external["spec"]?["internalTrafficPolicy"] == nil)
        let headless = try create(#"{"metadata":{"name":"h"},"spec":{"clusterIP":"None"}}"#, type)
        #expect(headless["spec"]?["ipFamilyPolicy"] == .string("RequireDualStack"))
        #expect(headless["spec"]?["sessionAffinity"] == .string("None") && headless["spec"]?["type"] == .string("ClusterIP"))
    }

    @Test func storageObjectsAndTheDefaultClass() throws {
        let pv = try create(#"{"metadata":{"name":"v"},"spec":{"hostPath":{"path":"/x"}}}"#, BuiltinResources.persistentVolumes)
        #expect(pv["spec"]?["persistentVolumeReclaimPolicy"] == .string("Retain") && pv["spec"]?["volumeMode"] == .string("Filesystem"))
        #expect(pv["spec"]?["hostPath"]?["type"] == .string("") && pv["status"]?["phase"] == .string("Pending"))
        let claim = try create(#"{"metadata":{"name":"c"},"spec":{"accessModes":["ReadWriteOnce"]}}"#, BuiltinResources.persistentVolumeClaims)
        #expect(claim["spec"]?["volumeMode"] == .string("Filesystem") && claim["status"]?["phase"] == .string("Pending"))
        let sc = try create(#"{"metadata":{"name":"s"},"provisioner":"x"}"#, BuiltinResources.storageClasses)
        #expect(sc["reclaimPolicy"] == .string("Delete") && sc["volumeBindingMode"] == .string("Immediate"))

        let classes = [
            try json(#"{"metadata":{"name":"old","creationTimestamp":"2025-01-01T00:00:00Z","annotations":{"storageclass.kubernetes.io/is-default-class":"true"}}}"#),
            try json(#"{"metadata":{"name":"new","creationTimestamp":"2025-06-01T00:00:00Z","annotations":{"storageclass.kubernetes.io/is-default-class":"true"}}}"#),
            try json(#"{"metadata":{"name":"newest","creationTimestamp":"2025-07-01T00:00:00Z"}}"#),
        ]
        #expect(StorageDefaults.assigningDefaultClass(claim, storageClasses: classes)["spec"]?["storageClassName"] == .string("new"))
        var none = claim
        none["spec"]?["storageClassName"] = .string("")
        #expect(StorageDefaults.assigningDefaultClass(none, storageClasses: classes) == none)
        #expect(StorageDefaults.assigningDefaultClass(claim, storageClasses: [classes[2]]) == claim)
    }

    @Test func podUpdatesKeepStatusAndDefaultTolerations() throws {
        let stored = try create(#"{"metadata":{"name":"u"},"spec":{"containers":[{"name":"c","image":"x:1"}]}}"#, BuiltinResources.pods)
        var edit = stored
        edit["spec"]?["tolerations"] = nil
        edit["status"] = .object(["phase": .string("Failed")])
        let updated = ObjectDefaults.forUpdate(edit, existing: stored, BuiltinResources.pods, subresource: nil)
        #expect(updated["spec"]?["tolerations"] == stored["spec"]?["tolerations"])
        #expect(updated["status"] == stored["status"])
    }
}
