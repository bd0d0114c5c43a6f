import KubeCore
import Testing

/// ConfigMap, Secret, Namespace, PV/PVC, StorageClass, PriorityClass, RBAC, networking and
/// Lease rules with kube-apiserver 1.33's messages (core, storage, scheduling, rbac,
/// networking and coordination validation.go).
@Suite struct ConfigStorageValidationTests {
    private func json(_ text: String) -> JSONValue {
        (try? JSONValue(parsing: Array(text.utf8))) ?? .null
    }

    private func created(_ text: String, _ type: ResourceType) -> JSONValue {
        ObjectDefaults.forCreate(json(text), type, namespace: type.namespaced ? "default" : nil, fieldManager: nil)
    }

    private func message(_ object: JSONValue, _ type: ResourceType, old: JSONValue?) -> String? {
        let errors = ObjectValidation.problems(object, type, old: old)
        return errors.isEmpty ? nil : KubeStatus.invalid(type, name: object["metadata"]?["name"]?.string ?? "", errors: errors).message
    }

    /// The 422 message for creating `text`, nil when accepted.
    private func createMessage(_ text: String, _ type: ResourceType) -> String? {
        message(created(text, type), type, old: nil)
    }

    /// The 422 message for updating the object created from `text` with the merge of `change`.
    private func updateMessage(_ text: String, _ type: ResourceType, _ change: (inout JSONValue) -> Void) -> String? {
        let old = created(text, type)
        var new = old
        change(&new)
        return message(ObjectDefaults.forUpdate(new, existing: old, type, subresource: nil), type, old: old)
    }

    // MARK: ConfigMap and Secret

    @Test func configMapKeysAndDuplicates() {
        #expect(createMessage(#"{"metadata":{"name":"c"},"data":{"a.b":"1","K_2":"2"},"binaryData":{"bin":"AAE="}}"#, BuiltinResources.configMaps) == nil)
        #expect(createMessage(#"{"metadata":{"name":"c"},"data":{"..a":"1"}}"#, BuiltinResources.configMaps)
                == #"ConfigMap "c" is invalid: data[..a]: Invalid value: "..a": must not start with '..'"#)
        #expect(createMessage(#"{"metadata":{"name":"c"},"data":{"a b":"1"}}"#, BuiltinResources.configMaps)
                == #"ConfigMap "c" is invalid: data[a b]: Invalid value: "a b": a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')"#)
        #expect(createMessage(#"{"metadata":{"name":"c"},"data":{"k":"1"},"binaryData":{"k":"AA=="}}"#, BuiltinResources.configMaps)
                == #"ConfigMap "c" is invalid: data[k]: Invalid value: "k": duplicate of key present in binaryData"#)
    }

    @Test func configMapTotalSize() {
        let big = JSONValue.object(["a": .string(String(repeating: "x", count: 1_048_576)), "b": .string("y")])
        #expect(ConfigMapValidation.errors(.object(["data": big]), nil).map(\.description) == [": Too long: may not be more than 1048576 bytes"])
    }

    @Test func immutableConfigMap() {
        let text = #"{"metadata":{"name":"c"},"data":{"k":"1"},"immutable":true}"#
        #expect(updateMessage(text, BuiltinResources.configMaps) { $0["data"] = .object(["k": .string("2")]) }
                == "ConfigMap \"c\" is invalid: data: Forbidden: field is immutable when `immutable` is set")
        #expect(updateMessage(text, BuiltinResources.configMaps) { $0["immutable"] = .bool(false) }
                == "ConfigMap \"c\" is invalid: immutable: Forbidden: field is immutable when `immutable` is set")
        #expect(updateMessage(text, BuiltinResources.configMaps) { $0["metadata"]?["labels"] = .object(["a": .string("b")]) } == nil)
    }

    @Test func secretTypes() {
        #expect(createMessage(#"{"metadata":{"name":"s"},"stringData":{"password":"x"}}"#, BuiltinResources.secrets) == nil)
        #expect(createMessage(#"{"metadata":{"name":"s"},"type":"kubernetes.io/tls","data":{}}"#, BuiltinResources.secrets)
                == #"Secret "s" is invalid: [data[tls.crt]: Required value, data[tls.key]: Required value]"#)
        #expect(createMessage(#"{"metadata":{"name":"s"},"type":"kubernetes.io/dockerconfigjson"}"#, BuiltinResources.secrets)
                == #"Secret "s" is invalid: data[.dockerconfigjson]: Required value"#)
        #expect(createMessage(#"{"metadata":{"name":"s"},"type":"kubernetes.io/basic-auth"}"#, BuiltinResources.secrets)
                == #"Secret "s" is invalid: [data[username]: Required value, data[password]: Required value]"#)
        #expect(createMessage(#"{"metadata":{"name":"s"},"type":"kubernetes.io/basic-auth","stringData":{"username":"u"}}"#, BuiltinResources.secrets) == nil)
        #expect(createMessage(#"{"metadata":{"name":"s"},"type":"kubernetes.io/ssh-auth"}"#, BuiltinResources.secrets)
                == #"Secret "s" is invalid: data[ssh-privatekey]: Required value"#)
        #expect(createMessage(#"{"metadata":{"name":"s"},"type":"kubernetes.io/service-account-token"}"#, BuiltinResources.secrets)
                == #"Secret "s" is invalid: metadata.annotations[kubernetes.io/service-account.name]: Required value"#)
        #expect(createMessage(#"{"metadata":{"name":"s"},"type":"kubernetes.io/dockerconfigjson","data":{".dockerconfigjson":"WzFd"}}"#, BuiltinResources.secrets)
                == #"Secret "s" is invalid: data[.dockerconfigjson]: Invalid value: "<secret contents redacted>": json: cannot unmarshal array into Go value of type map[string]interface {}"#)
    }

    @Test func secretTypeAndImmutability() {
        #expect(updateMessage(#"{"metadata":{"name":"s"},"data":{"k":"MQ=="}}"#, BuiltinResources.secrets) { $0["type"] = .string("example.com/other") }
                == #"Secret "s" is invalid: type: Invalid value: "example.com/other": field is immutable"#)
        #expect(updateMessage(#"{"metadata":{"name":"s"},"data":{"k":"MQ=="},"immutable":true}"#, BuiltinResources.secrets) { $0["data"] = .object([:]) }
                == "Secret \"s\" is invalid: data: Forbidden: field is immutable when `immutable` is set")
    }

    @Test func secretSizeCountsDecodedBytes() {
        // 1,048,575 zero bytes take 1,398,100 base64 characters, yet fit.
        let encoded = String(repeating: "AAAA", count: 349_525)
        #expect(SecretValidation.errors(.object(["type": .string("Opaque"), "data": .object(["k": .string(encoded)])]), nil).isEmpty)
        let over = JSONValue.object(["type": .string("Opaque"), "data": .object(["k": .string(encoded), "l": .string("AAA=")])])
        #expect(SecretValidation.errors(over, nil).map(\.description) == ["data: Too long: may not be more than 1048576 bytes"])
    }

    // MARK: Namespace

    @Test func namespaceSpecFinalizers() {
        #expect(createMessage(#"{"metadata":{"name":"n"},"spec":{"finalizers":["bogus"]}}"#, BuiltinResources.namespaces)
                == #"Namespace "n" is invalid: spec.finalizers: Invalid value: "bogus": name is neither a standard finalizer name nor is it fully qualified"#)
        #expect(createMessage(#"{"metadata":{"name":"n"},"spec":{"finalizers":["example.com/x"]}}"#, BuiltinResources.namespaces) == nil)
    }

    // MARK: storage

    @Test func claims() {
        #expect(createMessage(#"{"metadata":{"name":"p"},"spec":{"accessModes":["ReadWriteOnce"],"resources":{"requests":{"storage":"1Gi"}}}}"#, BuiltinResources.persistentVolumeClaims) == nil)
        #expect(createMessage(#"{"metadata":{"name":"p"},"spec":{}}"#, BuiltinResources.persistentVolumeClaims)
                == #"PersistentVolumeClaim "p" is invalid: [spec.accessModes: Required value: at least 1 access mode is required, spec.resources[storage]: Required value]"#)
        #expect(createMessage(#"{"metadata":{"name":"p"},"spec":{"accessModes":["ReadWriteSometimes"],"resources":{"requests":{"storage":"0"}}}}"#, BuiltinResources.persistentVolumeClaims)
                == #"PersistentVolumeClaim "p" is invalid: [spec.accessModes: Unsupported value: "ReadWriteSometimes": supported values: "ReadOnlyMany", "ReadWriteMany", "ReadWriteOnce", "ReadWriteOncePod", spec.resources[storage]: Invalid value: "0": must be greater than zero]"#)
        #expect(createMessage(#"{"metadata":{"name":"p"},"spec":{"accessModes":["ReadWriteOncePod","ReadWriteOnce"],"resources":{"requests":{"storage":"1Gi"}}}}"#, BuiltinResources.persistentVolumeClaims)
                == #"PersistentVolumeClaim "p" is invalid: spec.accessModes: Forbidden: may not use ReadWriteOncePod with other access modes"#)
    }

    @Test func claimSpecIsImmutable() {
        let text = #"{"metadata":{"name":"p"},"spec":{"accessModes":["ReadWriteOnce"],"resources":{"requests":{"storage":"1Gi"}}}}"#
        let changed = updateMessage(text, BuiltinResources.persistentVolumeClaims) { $0["spec"]?["accessModes"] = .array([.string("ReadWriteMany")]) }
        #expect(changed?.hasPrefix("PersistentVolumeClaim \"p\" is invalid: spec: Forbidden: spec is immutable after creation except resources.requests and volumeAttributesClassName for bound claims\n") == true)
        #expect(updateMessage(text, BuiltinResources.persistentVolumeClaims) { $0["spec"]?["volumeName"] = .string("pv-1") } == nil)
        let bound = updateMessage(text, BuiltinResources.persistentVolumeClaims) { claim in
            claim["spec"]?["resources"]?["requests"]?["storage"] = .string("2Gi")
            claim["status"] = .object(["phase": .string("Bound")])
        }
        #expect(bound == nil || bound?.contains("spec is immutable") == true, "status comes from the stored claim, so this one is unbound")
    }

    @Test func persistentVolumes() {
        #expect(createMessage(#"{"metadata":{"name":"v"},"spec":{"accessModes":["ReadWriteOnce"],"capacity":{"storage":"1Gi"},"hostPath":{"path":"/data"}}}"#, BuiltinResources.persistentVolumes) == nil)
        #expect(createMessage(#"{"metadata":{"name":"v"},"spec":{"accessModes":["ReadWriteOnce"],"capacity":{"storage":"1Gi"}}}"#, BuiltinResources.persistentVolumes)
                == #"PersistentVolume "v" is invalid: spec: Required value: must specify a volume type"#)
        #expect(createMessage(#"{"metadata":{"name":"v"},"spec":{"accessModes":["ReadWriteOnce"],"capacity":{"storage":"1Gi"},"hostPath":{"path":"/a"},"nfs":{"server":"s","path":"/b"}}}"#, BuiltinResources.persistentVolumes)
                == #"PersistentVolume "v" is invalid: spec.nfs: Forbidden: may not specify more than 1 volume type"#)
        #expect(createMessage(#"{"metadata":{"name":"v"},"spec":{"accessModes":["ReadWriteOnce"],"capacity":{"storage":"1Gi"},"local":{"path":"/a"}}}"#, BuiltinResources.persistentVolumes)
                == #"PersistentVolume "v" is invalid: spec.nodeAffinity: Required value: Local volume requires node affinity"#)
        #expect(createMessage(#"{"metadata":{"name":"v"},"spec":{"hostPath":{"path":"/a"}}}"#, BuiltinResources.persistentVolumes)
                == #"PersistentVolume "v" is invalid: [spec.accessModes: Required value, spec.capacity: Required value, spec.capacity: Unsupported value: core.ResourceList(nil): supported values: "storage"]"#)
    }

    @Test func storageClasses() {
        #expect(createMessage(#"{"metadata":{"name":"fast"},"provisioner":"example.com/disk","parameters":{"type":"ssd"}}"#, BuiltinResources.storageClasses) == nil)
        #expect(createMessage(#"{"metadata":{"name":"fast"}}"#, BuiltinResources.storageClasses)
                == #"StorageClass.storage.k8s.io "fast" is invalid: provisioner: Required value"#)
        #expect(createMessage(#"{"metadata":{"name":"fast"},"provisioner":"p","reclaimPolicy":"Recycle"}"#, BuiltinResources.storageClasses)
                == #"StorageClass.storage.k8s.io "fast" is invalid: reclaimPolicy: Unsupported value: "Recycle": supported values: "Delete", "Retain""#)
        let text = #"{"metadata":{"name":"fast"},"provisioner":"p","parameters":{"a":"b"}}"#
        #expect(updateMessage(text, BuiltinResources.storageClasses) { sc in
            sc["provisioner"] = .string("q")
            sc["parameters"] = .object([:])
            sc["reclaimPolicy"] = .string("Retain")
        } == #"StorageClass.storage.k8s.io "fast" is invalid: [parameters: Forbidden: updates to parameters are forbidden., provisioner: Forbidden: updates to provisioner are forbidden., reclaimPolicy: Forbidden: updates to reclaimPolicy are forbidden.]"#)
    }

    @Test func priorityClasses() {
        #expect(createMessage(#"{"metadata":{"name":"high"},"value":1000}"#, BuiltinResources.priorityClasses) == nil)
        #expect(createMessage(#"{"metadata":{"name":"high"},"value":2000000000}"#, BuiltinResources.priorityClasses)
                == #"PriorityClass.scheduling.k8s.io "high" is invalid: value: Forbidden: maximum allowed value of a user defined priority is 1000000000"#)
        #expect(createMessage(#"{"metadata":{"name":"system-mine"},"value":1}"#, BuiltinResources.priorityClasses)
                == #"PriorityClass.scheduling.k8s.io "system-mine" is invalid: metadata.name: Forbidden: priority class names with 'system-' prefix are reserved for system use only. error: system-mine is not a known system priority class"#)
        #expect(createMessage(#"{"metadata":{"name":"system-node-critical"},"value":2000001000}"#, BuiltinResources.priorityClasses) == nil)
        #expect(updateMessage(#"{"metadata":{"name":"high"},"value":1000}"#, BuiltinResources.priorityClasses) { $0["value"] = .integer(5) }
                == #"PriorityClass.scheduling.k8s.io "high" is invalid: value: Forbidden: may not be changed in an update."#)
    }

    // MARK: RBAC

    @Test func rbac() {
        #expect(createMessage(#"{"metadata":{"name":"r"},"rules":[{"apiGroups":[""],"resources":["pods"],"verbs":["get"]}]}"#, BuiltinResources.roles) == nil)
        #expect(createMessage(#"{"metadata":{"name":"r"},"rules":[{"apiGroups":[""],"resources":["pods"]}]}"#, BuiltinResources.roles)
                == #"Role.rbac.authorization.k8s.io "r" is invalid: rules[0].verbs: Required value: verbs must contain at least one value"#)
        #expect(createMessage(#"{"metadata":{"name":"r"},"rules":[{"nonResourceURLs":["/healthz"],"verbs":["get"]}]}"#, BuiltinResources.roles)
                == #"Role.rbac.authorization.k8s.io "r" is invalid: rules[0].nonResourceURLs: Invalid value: []string{"/healthz"}: namespaced rules cannot apply to non-resource URLs"#)
        let binding = #"{"metadata":{"name":"b"},"roleRef":{"kind":"ClusterRole","name":"view"},"subjects":[{"kind":"User","name":"jane"}]}"#
        #expect(createMessage(binding, BuiltinResources.roleBindings) == nil, "roleRef.apiGroup and the User's apiGroup are defaulted")
        #expect(createMessage(#"{"metadata":{"name":"b"},"roleRef":{"kind":"ClusterRole","name":"view"},"subjects":[{"kind":"Robot","name":"r"}]}"#, BuiltinResources.roleBindings)
                == #"RoleBinding.rbac.authorization.k8s.io "b" is invalid: subjects[0].kind: Unsupported value: "Robot": supported values: "ServiceAccount", "User", "Group""#)
        #expect(createMessage(#"{"metadata":{"name":"b"},"roleRef":{"kind":"Role","name":"view"},"subjects":[{"kind":"ServiceAccount","name":"sa"}]}"#, BuiltinResources.clusterRoleBindings)
                == #"ClusterRoleBinding.rbac.authorization.k8s.io "b" is invalid: [roleRef.kind: Unsupported value: "Role": supported values: "ClusterRole", subjects[0].namespace: Required value]"#)
        #expect(updateMessage(binding, BuiltinResources.roleBindings) { $0["roleRef"]?["name"] = .string("edit") }
                == #"RoleBinding.rbac.authorization.k8s.io "b" is invalid: roleRef: Invalid value: rbac.RoleRef{APIGroup:"rbac.authorization.k8s.io", Kind:"ClusterRole", Name:"edit"}: cannot change roleRef"#)
    }

    // MARK: networking and coordination

    @Test func networking() {
        let ingress = #"{"metadata":{"name":"i"},"spec":{"rules":[{"host":"example.com","http":{"paths":[{"path":"/","pathType":"Prefix","backend":{"service":{"name":"web","port":{"number":80}}}}]}}]}}"#
        #expect(createMessage(ingress, BuiltinResources.ingresses) == nil)
        #expect(createMessage(#"{"metadata":{"name":"i"},"spec":{}}"#, BuiltinResources.ingresses)
                == "Ingress.networking.k8s.io \"i\" is invalid: spec: Invalid value: []networking.IngressRule(nil): either `defaultBackend` or `rules` must be specified")
        #expect(createMessage(#"{"metadata":{"name":"i"},"spec":{"rules":[{"http":{"paths":[{"path":"/","backend":{"service":{"name":"web","port":{"number":80}}}}]}}]}}"#, BuiltinResources.ingresses)
                == #"Ingress.networking.k8s.io "i" is invalid: spec.rules[0].http.paths[0].pathType: Required value: pathType must be specified"#)
        #expect(createMessage(#"{"metadata":{"name":"n"},"spec":{"podSelector":{},"ingress":[{"ports":[{"port":99999}]}]}}"#, BuiltinResources.networkPolicies)
                == #"NetworkPolicy.networking.k8s.io "n" is invalid: spec.ingress[0].ports[0].port: Invalid value: 99999: must be between 1 and 65535, inclusive"#)
        let policy = created(#"{"metadata":{"name":"n"},"spec":{"podSelector":{},"egress":[{"ports":[{"port":53}]}]}}"#, BuiltinResources.networkPolicies)
        #expect(policy["spec"]?["policyTypes"] == .array([.string("Ingress"), .string("Egress")]))
        #expect(policy["spec"]?["egress"]?.array?.first?["ports"]?.array?.first?["protocol"] == .string("TCP"))
        #expect(createMessage(#"{"metadata":{"name":"c"},"spec":{"controller":"nginx"}}"#, BuiltinResources.ingressClasses)
                == #"IngressClass.networking.k8s.io "c" is invalid: spec.controller: Invalid value: "nginx": must be a domain-prefixed path (such as "acme.io/foo")"#)
        #expect(updateMessage(#"{"metadata":{"name":"c"},"spec":{"controller":"k8s.io/nginx"}}"#, BuiltinResources.ingressClasses) { $0["spec"]?["controller"] = .string("k8s.io/other") }
                == #"IngressClass.networking.k8s.io "c" is invalid: spec.controller: Invalid value: "k8s.io/other": field is immutable"#)
        #expect(createMessage(#"{"metadata":{"name":"l"},"spec":{"leaseDurationSeconds":0}}"#, BuiltinResources.leases)
                == #"Lease.coordination.k8s.io "l" is invalid: spec.leaseDurationSeconds: Invalid value: 0: must be greater than 0"#)
    }
}
