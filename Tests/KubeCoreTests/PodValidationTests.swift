import Foundation
import KubeCore
import Testing

/// Pod and pod template validation as kube-apiserver 1.33 words it
/// (pkg/apis/core/validation/validation.go), run after defaulting as the apiserver runs it.
/// Expected messages are built from upstream's format strings, not from Ketch's output.
@Suite struct PodValidationTests {
    private func json(_ text: String) throws -> JSONValue { try JSONValue(parsing: Data(text.utf8)) }

    /// The causes of creating a pod whose spec is `spec`, as `field: body` lines.
    private func createErrors(spec: String, metadata: String = #"{"name":"p"}"#) throws -> [String] {
        let text = #"{"apiVersion":"v1","kind":"Pod","metadata":"# + metadata + #","spec":"# + spec + "}"
        let pod = ObjectDefaults.forCreate(try json(text), BuiltinResources.pods, namespace: "default", fieldManager: "test")
        return ObjectValidation.problems(pod, BuiltinResources.pods, old: nil).map(\.description)
    }

    /// The causes of updating the pod created from `spec` with `change` made to it.
    private func updateErrors(spec: String, _ change: (inout JSONValue) -> Void) throws -> [String] {
        let text = #"{"apiVersion":"v1","kind":"Pod","metadata":{"name":"p"},"spec":"# + spec + "}"
        let stored = ObjectDefaults.forCreate(try json(text), BuiltinResources.pods, namespace: "default", fieldManager: "test")
        var input = stored
        change(&input)
        let updated = ObjectDefaults.forUpdate(input, existing: stored, BuiltinResources.pods, subresource: nil)
        return ObjectValidation.problems(updated, BuiltinResources.pods, old: stored).map(\.description)
    }

    /// A spec with one container `c` (image nginx) carrying `container` extra members.
    private func spec(container: String = "", _ more: String = "") -> String {
        #"{"containers":[{"name":"c","image":"nginx""# + container + "}]" + more + "}"
    }

    private let labelRegex = "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')"

    @Test func aTypicalPodIsValid() throws {
        let text = spec(container: #","ports":[{"name":"http","containerPort":80}],"env":[{"name":"MY_POD","valueFrom":{"fieldRef":{"fieldPath":"metadata.name"}}},{"name":"1relaxed.name","value":"x"}],"envFrom":[{"configMapRef":{"name":"cfg"}}],"resources":{"requests":{"cpu":"250m","memory":"64Mi"},"limits":{"cpu":"500m","memory":"128Mi"}},"volumeMounts":[{"name":"data","mountPath":"/data"},{"name":"cfg","mountPath":"/etc/cfg"}],"readinessProbe":{"httpGet":{"port":"http"}},"livenessProbe":{"tcpSocket":{"port":80}},"lifecycle":{"preStop":{"sleep":{"seconds":5}}},"securityContext":{"runAsUser":1000,"allowPrivilegeEscalation":false,"capabilities":{"drop":["ALL"]},"seccompProfile":{"type":"RuntimeDefault"}}"#,
                        #","volumes":[{"name":"data","emptyDir":{"sizeLimit":"1Gi"}},{"name":"cfg","configMap":{"name":"cfg","items":[{"key":"a","path":"a.conf"}]}}],"nodeSelector":{"kubernetes.io/os":"linux"},"tolerations":[{"key":"dedicated","operator":"Equal","value":"web","effect":"NoSchedule"}],"topologySpreadConstraints":[{"maxSkew":1,"topologyKey":"zone","whenUnsatisfiable":"DoNotSchedule","labelSelector":{"matchLabels":{"app":"web"}}}],"affinity":{"nodeAffinity":{"requiredDuringSchedulingIgnoredDuringExecution":{"nodeSelectorTerms":[{"matchExpressions":[{"key":"zone","operator":"In","values":["a"]}]}]}}}"#)
        #expect(try createErrors(spec: text) == [])
    }

    @Test func emptyContainersAreRequired() throws {
        #expect(try createErrors(spec: #"{"containers":[]}"#) == ["spec.containers: Required value"])
    }

    @Test func containerNameImageAndDuplicates() throws {
        #expect(try createErrors(spec: #"{"containers":[{"name":"Web_1","image":"nginx"},{"name":"b"}]}"#) == [
            #"spec.containers[0].name: Invalid value: "Web_1": "# + labelRegex,
            "spec.containers[1].image: Required value",
        ])
        #expect(try createErrors(spec: spec(#","initContainers":[{"name":"c","image":"busybox"}]"#)) == [
            #"spec.initContainers[0].name: Duplicate value: "c""#,
        ])
    }

    @Test func enumsListTheirSupportedValues() throws {
        #expect(try createErrors(spec: spec(container: #","imagePullPolicy":"Sometimes","terminationMessagePolicy":"Bogus""#, #","restartPolicy":"Sometimes","dnsPolicy":"Bogus""#)) == [
            #"spec.containers[0].terminationMessagePolicy: Unsupported value: "Bogus": supported values: "File", "FallbackToLogsOnError""#,
            #"spec.containers[0].imagePullPolicy: Unsupported value: "Sometimes": supported values: "Always", "IfNotPresent", "Never""#,
            #"spec.restartPolicy: Unsupported value: "Sometimes": supported values: "Always", "OnFailure", "Never""#,
            #"spec.dnsPolicy: Unsupported value: "Bogus": supported values: "ClusterFirstWithHostNet", "ClusterFirst", "Default", "None""#,
        ])
    }

    @Test func containerPorts() throws {
        #expect(try createErrors(spec: spec(container: #","ports":[{"containerPort":99999},{"name":"http_web","containerPort":80,"hostPort":70000,"protocol":"HTTP"},{"name":"web","containerPort":81},{"name":"web","containerPort":82}]"#)) == [
            "spec.containers[0].ports[0].containerPort: Invalid value: 99999: must be between 1 and 65535, inclusive",
            #"spec.containers[0].ports[1].name: Invalid value: "http_web": must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)"#,
            "spec.containers[0].ports[1].hostPort: Invalid value: 70000: must be between 1 and 65535, inclusive",
            #"spec.containers[0].ports[1].protocol: Unsupported value: "HTTP": supported values: "SCTP", "TCP", "UDP""#,
            #"spec.containers[0].ports[3].name: Duplicate value: "web""#,
        ])
    }

    @Test func hostPortsConflictAndFollowTheHostNetwork() throws {
        #expect(try createErrors(spec: #"{"containers":[{"name":"a","image":"x","ports":[{"containerPort":80,"hostPort":8080}]},{"name":"b","image":"x","ports":[{"containerPort":81,"hostPort":8080}]}]}"#) == [
            #"spec.containers[1].ports[0].hostPort: Duplicate value: "TCP//8080""#,
        ])
        #expect(try createErrors(spec: spec(container: #","ports":[{"containerPort":80,"hostPort":81}]"#, #","hostNetwork":true"#)) == [
            "spec.containers[0].ports[0].hostPort: Invalid value: 81: must match `containerPort` when `hostNetwork` is true",
        ])
    }

    @Test func environmentVariables() throws {
        #expect(try createErrors(spec: spec(container: #","env":[{"name":"a=b"},{"name":""},{"name":"X","value":"v","valueFrom":{"secretKeyRef":{"name":"s","key":"k"}}},{"name":"Y","valueFrom":{}},{"name":"Z","valueFrom":{"fieldRef":{"fieldPath":"spec.bogus"}}}],"envFrom":[{"prefix":"P="}]"#)) == [
            #"spec.containers[0].env[0].name: Invalid value: "a=b": a valid environment variable name must consist only of printable ASCII characters other than '='"#,
            "spec.containers[0].env[1].name: Required value",
            #"spec.containers[0].env[2].valueFrom: Invalid value: "": may not be specified when `value` is not empty"#,
            #"spec.containers[0].env[3].valueFrom: Invalid value: "": must specify one of: `fieldRef`, `resourceFieldRef`, `configMapKeyRef` or `secretKeyRef`"#,
            #"spec.containers[0].env[4].valueFrom.fieldRef.fieldPath: Invalid value: "spec.bogus": error converting fieldPath: field label not supported: spec.bogus"#,
            #"spec.containers[0].envFrom[0].prefix: Invalid value: "P=": a valid environment variable name must consist only of printable ASCII characters other than '='"#,
            #"spec.containers[0].envFrom: Invalid value: "": must specify one of: `configMapRef` or `secretRef`"#,
        ])
    }

    @Test func resourceRequirements() throws {
        #expect(try createErrors(spec: spec(container: #","resources":{"limits":{"cpu":"1","memory":"-1Gi"},"requests":{"cpu":"1500m","gpu":"1"}}"#)) == [
            #"spec.containers[0].resources.limits[memory]: Invalid value: "-1Gi": must be greater than or equal to 0"#,
            #"spec.containers[0].resources.requests: Invalid value: "1500m": must be less than or equal to cpu limit of 1"#,
            #"spec.containers[0].resources.requests[gpu]: Invalid value: "gpu": must be a standard resource type or fully qualified"#,
            #"spec.containers[0].resources.requests[gpu]: Invalid value: "gpu": must be a standard resource for containers"#,
            // SetDefaults_Pod copied the memory limit into the requests.
            #"spec.containers[0].resources.requests[memory]: Invalid value: "-1Gi": must be greater than or equal to 0"#,
        ])
        #expect(try createErrors(spec: spec(container: #","resources":{"requests":{"example.com/dongle":"1"}}"#)) == [
            "spec.containers[0].resources.limits: Required value: Limit must be set for non overcommitable resources",
        ])
    }

    @Test func volumesAndMounts() throws {
        #expect(try createErrors(spec: spec(container: #","volumeMounts":[{"name":"data","mountPath":"/a"},{"name":"missing","mountPath":""}]"#,
                                            #","volumes":[{"name":"data","emptyDir":{},"hostPath":{"path":"/x"}},{"name":"hp","hostPath":{}},{"name":"cm","configMap":{"name":"c","items":[{"key":"k","path":"/etc/x"}]}},{"name":"claim","persistentVolumeClaim":{}},{"name":"data2","emptyDir":{"sizeLimit":"-1Gi"}},{"name":"good","emptyDir":{}},{"name":"good","secret":{"secretName":"s"}}]"#)) == [
            "spec.volumes[0].hostPath: Forbidden: may not specify more than 1 volume type",
            "spec.volumes[1].hostPath.path: Required value",
            #"spec.volumes[2].configMap.items[0].path: Invalid value: "/etc/x": must be a relative path"#,
            "spec.volumes[3].persistentVolumeClaim.claimName: Required value",
            "spec.volumes[4].emptyDir.sizeLimit: Forbidden: SizeLimit field must be a valid resource quantity",
            // Only volumes without errors count for duplicates (and for mounts).
            #"spec.volumes[6].name: Duplicate value: "good""#,
            #"spec.containers[0].volumeMounts[0].name: Not found: "data""#,
            #"spec.containers[0].volumeMounts[1].name: Not found: "missing""#,
            "spec.containers[0].volumeMounts[1].mountPath: Required value",
        ])
    }

    @Test func probesAndHooks() throws {
        #expect(try createErrors(spec: spec(container: #","livenessProbe":{"periodSeconds":5},"readinessProbe":{"exec":{"command":["true"]},"initialDelaySeconds":-1,"terminationGracePeriodSeconds":5},"startupProbe":{"httpGet":{"port":0},"tcpSocket":{"port":"80"},"successThreshold":2},"lifecycle":{"preStop":{"sleep":{"seconds":60}}}"#)) == [
            "spec.containers[0].lifecycle.preStop.sleep: Invalid value: 60: must be non-negative and less than terminationGracePeriodSeconds (30)",
            "spec.containers[0].livenessProbe: Required value: must specify a handler type",
            "spec.containers[0].readinessProbe.initialDelaySeconds: Invalid value: -1: must be greater than or equal to 0",
            "spec.containers[0].readinessProbe.terminationGracePeriodSeconds: Invalid value: 5: must not be set for readinessProbes",
            "spec.containers[0].startupProbe.httpGet.port: Invalid value: 0: must be between 1 and 65535, inclusive",
            "spec.containers[0].startupProbe.tcpSocket: Forbidden: may not specify more than 1 handler type",
            "spec.containers[0].startupProbe.successThreshold: Invalid value: 2: must be 1",
        ])
        #expect(try createErrors(spec: spec(#","initContainers":[{"name":"i","image":"x","livenessProbe":{"exec":{"command":["x"]}}}]"#)) == [
            "spec.initContainers[0].livenessProbe: Forbidden: may not be set for init containers without restartPolicy=Always",
        ])
    }

    @Test func securityContexts() throws {
        #expect(try createErrors(spec: spec(container: #","securityContext":{"runAsUser":-1,"procMount":"Bogus"}"#, #","securityContext":{"seccompProfile":{"type":"Bogus"},"sysctls":[{"name":"net.ipv4.ip_forward","value":"1"}]},"hostNetwork":true"#)) == [
            "spec.containers[0].securityContext.runAsUser: Invalid value: -1: must be between 0 and 4294967295, inclusive",
            #"spec.containers[0].securityContext.procMount: Unsupported value: "Bogus": supported values: "Default", "Unmasked""#,
            #"spec.securityContext.sysctls[0].name: Invalid value: "net.ipv4.ip_forward": may not be specified when 'hostNetwork' is true"#,
            #"spec.securityContext.seccompProfile.type: Unsupported value: "Bogus": supported values: "Localhost", "RuntimeDefault", "Unconfined""#,
        ])
    }

    @Test func schedulingFields() throws {
        #expect(try createErrors(spec: spec(#","nodeSelector":{"disk":"bad value"},"tolerations":[{"key":"k","operator":"Exists","value":"v"},{"key":"k","effect":"Never"},{"operator":"Equal"}],"topologySpreadConstraints":[{"maxSkew":0,"topologyKey":"","whenUnsatisfiable":"Bogus"}],"affinity":{"nodeAffinity":{"requiredDuringSchedulingIgnoredDuringExecution":{"nodeSelectorTerms":[]}}}"#)) == [
            #"spec.nodeSelector: Invalid value: "bad value": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')"#,
            "spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms: Required value: must have at least one node selector term",
            "spec.topologySpreadConstraints[0].maxSkew: Invalid value: 0: must be greater than zero",
            "spec.topologySpreadConstraints[0].topologyKey: Required value: can not be empty",
            #"spec.topologySpreadConstraints[0].whenUnsatisfiable: Unsupported value: "Bogus": supported values: "DoNotSchedule", "ScheduleAnyway""#,
            #"spec.tolerations[0].operator: Invalid value: "v": value must be empty when `operator` is 'Exists'"#,
            #"spec.tolerations[1].effect: Unsupported value: "Never": supported values: "NoSchedule", "PreferNoSchedule", "NoExecute""#,
            #"spec.tolerations[2].operator: Invalid value: "Equal": operator must be Exists when `key` is empty, which means "match all values and all keys""#,
        ])
    }

    @Test func podLevelNamesAndDeadlines() throws {
        #expect(try createErrors(spec: spec(#","hostname":"Host_1","serviceAccountName":"Bad_SA","activeDeadlineSeconds":0,"readinessGates":[{"conditionType":"bad/cond/x"}]"#)) == [
            "spec.readinessGates[0].conditionType: Invalid value: \"bad/cond/x\": a qualified name must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]') with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')",
            #"spec.serviceAccountName: Invalid value: "Bad_SA": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')"#,
            "spec.activeDeadlineSeconds: Invalid value: 0: must be between 1 and 2147483647, inclusive",
            #"spec.hostname: Invalid value: "Host_1": "# + labelRegex,
        ])
    }

    @Test func podAnnotations() throws {
        #expect(try createErrors(spec: spec(), metadata: #"{"name":"p","annotations":{"kubernetes.io/config.mirror":"x","controller.kubernetes.io/pod-deletion-cost":"+5"}}"#) == [
            #"metadata.annotations[kubernetes.io/config.mirror]: Invalid value: "x": must set spec.nodeName if mirror pod annotation is set"#,
            #"metadata.annotations[controller.kubernetes.io/pod-deletion-cost]: Invalid value: "+5": must be a 32bit integer"#,
        ])
    }

    @Test func ephemeralContainersOnlyThroughTheirSubresource() throws {
        #expect(try createErrors(spec: spec(#","ephemeralContainers":[{"name":"debug","image":"busybox"}]"#)) == [
            "spec.ephemeralContainers: Forbidden: cannot be set on create",
        ])
    }

    @Test func updatesMayChangeImagesAndDeadlinesOnly() throws {
        let base = spec(#","activeDeadlineSeconds":100"#)
        #expect(try updateErrors(spec: base) { pod in
            pod[at: ["spec", "containers"]] = .array((pod["spec"]?["containers"]?.array ?? []).map { container in
                var changed = container
                changed["image"] = .string("nginx:1.27")
                return changed
            })
            pod["spec"]?["activeDeadlineSeconds"] = .integer(50)
        } == [])
        #expect(try updateErrors(spec: base) { $0["spec"]?["activeDeadlineSeconds"] = .integer(200) } == [
            "spec.activeDeadlineSeconds: Invalid value: 200: must be less than or equal to previous value",
        ])
        #expect(try updateErrors(spec: base) { $0[at: ["spec", "activeDeadlineSeconds"]] = nil } == [
            #"spec.activeDeadlineSeconds: Invalid value: "null": must not update from a positive integer to nil value"#,
        ])
        #expect(try updateErrors(spec: base) { pod in
            pod["spec"]?["containers"] = .array([try! json(#"{"name":"c","image":"nginx"}"#), try! json(#"{"name":"d","image":"nginx"}"#)])
        } == ["spec.containers: Forbidden: pod updates may not add or remove containers"])
    }

    @Test func otherSpecChangesNameTheUpdatableFields() throws {
        let errors = try updateErrors(spec: spec()) { $0["spec"]?["restartPolicy"] = .string("Never") }
        let prefix = "spec: Forbidden: pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)\n"
        #expect(errors.count == 1)
        #expect(errors.first?.hasPrefix(prefix) == true)
        #expect(errors.first?.contains(#"restartPolicy: "Never""#) == true)
    }

    @Test func tolerationsMayOnlyBeAdded() throws {
        let base = spec(#","tolerations":[{"key":"k","operator":"Equal","value":"v","effect":"NoSchedule"}]"#)
        #expect(try updateErrors(spec: base) { pod in
            var tolerations = pod["spec"]?["tolerations"]?.array ?? []
            tolerations.append(try! json(#"{"key":"other","operator":"Exists"}"#))
            pod["spec"]?["tolerations"] = .array(tolerations)
        } == [])
        #expect(try updateErrors(spec: base) { pod in
            pod["spec"]?["tolerations"] = .array([try! json(#"{"key":"k","operator":"Equal","value":"w","effect":"NoSchedule"}"#)])
        } == ["spec.tolerations: Forbidden: existing toleration can not be modified except its tolerationSeconds"])
    }

    @Test func statusUpdatesKeepAValidPodValid() throws {
        let text = #"{"apiVersion":"v1","kind":"Pod","metadata":{"name":"p"},"spec":"# + spec() + "}"
        let stored = ObjectDefaults.forCreate(try json(text), BuiltinResources.pods, namespace: "default", fieldManager: "test")
        var input = stored
        input["status"] = try json(#"{"phase":"Running","podIP":"10.244.0.5"}"#)
        let updated = ObjectDefaults.forUpdate(input, existing: stored, BuiltinResources.pods, subresource: "status")
        #expect(ObjectValidation.problems(updated, BuiltinResources.pods, old: stored).isEmpty)
    }

    @Test func templatesReportUnderTheirPath() throws {
        let template = try json(#"{"metadata":{"labels":{"app":"-bad"}},"spec":{"containers":[{"name":"c","image":"nginx","imagePullPolicy":"Sometimes","terminationMessagePolicy":"File"}],"restartPolicy":"Always","dnsPolicy":"ClusterFirst","terminationGracePeriodSeconds":30,"hostNetwork":true}}"#)
        let errors = PodTemplateValidation.errors(template, path: FieldPath("spec", "template")).map(\.description)
        #expect(errors == [
            #"spec.template.labels: Invalid value: "-bad": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')"#,
            #"spec.template.spec.containers[0].imagePullPolicy: Unsupported value: "Sometimes": supported values: "Always", "IfNotPresent", "Never""#,
        ])
        let podTemplate = try json(#"{"apiVersion":"v1","kind":"PodTemplate","metadata":{"name":"t"},"template":{"spec":{"containers":[{"name":"c","image":"nginx"}]}}}"#)
        let defaulted = ObjectDefaults.forCreate(podTemplate, BuiltinResources.podTemplates, namespace: "default", fieldManager: "test")
        #expect(ObjectValidation.problems(defaulted, BuiltinResources.podTemplates, old: nil).isEmpty)
    }

    @Test func quantitiesParseAndPrintAsKubeDoes() throws {
        let canonical = ["1000m": "1", "0.5": "500m", "1024Mi": "1Gi", "1.5Gi": "1536Mi", "2000": "2k", "1500": "1500",
                         "0.5Ki": "512", "1e3": "1e3", "12e2": "1200", "-1Gi": "-1Gi", "0": "0", "100Mi": "100Mi", "1.5m": "1500u"]
        for (text, printed) in canonical {
            #expect(try Quantity(parsing: text).description == printed, "\(text)")
        }
        #expect(try Quantity(parsing: "1Gi") > Quantity(parsing: "1G"))
        #expect(try Quantity(parsing: "0.1n").nanos == 1)
        for bad in ["", "abc", "1x", "1Gx", "1.2.3"] {
            #expect(throws: Quantity.ParseError.formatWrong, "\(bad)") { try Quantity(parsing: bad) }
        }
        #expect(throws: Quantity.ParseError.suffix) { try Quantity(parsing: "1ii") }
        #expect(Quantity.decodeProblem(.string("2Gx"))?.description == "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'")
    }
}
