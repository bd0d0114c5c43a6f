import KubeCore
import Testing

/// `ValidateObjectMeta(Update)` and the name formats, with kube-apiserver 1.33's messages
/// (apimachinery's objectmeta.go, util/validation and their tests).
@Suite struct ObjectMetaValidationTests {
    private func json(_ text: String) -> JSONValue {
        (try? JSONValue(parsing: Array(text.utf8))) ?? .null
    }

    /// The 422 message for creating `text` as `type` in `default`, nil when it is accepted.
    private func createMessage(_ text: String, _ type: ResourceType) -> String? {
        let object = ObjectDefaults.forCreate(json(text), type, namespace: type.namespaced ? "default" : nil, fieldManager: nil)
        let errors = ObjectValidation.problems(object, type, old: nil)
        return errors.isEmpty ? nil : KubeStatus.invalid(type, name: object["metadata"]?["name"]?.string ?? "", errors: errors).message
    }

    @Test func validObjectsPass() {
        #expect(createMessage(#"{"metadata":{"name":"cfg","labels":{"app.kubernetes.io/name":"web","tier":""},"annotations":{"Example.COM/Key":"v"},"finalizers":["example.com/cleanup","orphan"],"ownerReferences":[{"apiVersion":"apps/v1","kind":"ReplicaSet","name":"rs","uid":"u1","controller":true}]}}"#, BuiltinResources.configMaps) == nil)
        #expect(createMessage(#"{"metadata":{"name":"ns-1"}}"#, BuiltinResources.namespaces) == nil)
        #expect(createMessage(#"{"metadata":{"name":"system:controller:foo"},"rules":[]}"#, BuiltinResources.clusterRoles) == nil)
    }

    @Test func nameFormats() {
        #expect(createMessage(#"{"metadata":{"name":"Bad_Name"}}"#, BuiltinResources.configMaps)
                == #"ConfigMap "Bad_Name" is invalid: metadata.name: Invalid value: "Bad_Name": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')"#)
        #expect(createMessage(#"{"metadata":{"name":"a.b"}}"#, BuiltinResources.namespaces)
                == #"Namespace "a.b" is invalid: metadata.name: Invalid value: "a.b": must not contain dots"#)
        #expect(NameValidation.dns1123LabelErrors(String(repeating: "a", count: 64)) == ["must be no more than 63 characters"])
        #expect(NameValidation.dns1035LabelErrors("1abc").first?.hasPrefix("a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character") == true)
        #expect(NameValidation.pathSegmentNameErrors("a/b%c") == ["may not contain '/'", "may not contain '%'"])
        #expect(NameValidation.pathSegmentNameErrors("..") == ["may not be '..'"])
    }

    @Test func generateNameIsCheckedWithItsTrailingDashMasked() {
        #expect(NameValidation.nameErrors("web-", .dnsSubdomain, prefix: true).isEmpty)
        let message = createMessage(#"{"metadata":{"generateName":"Web-"}}"#, BuiltinResources.configMaps) ?? ""
        #expect(message.contains(#"metadata.generateName: Invalid value: "Web-": a lowercase RFC 1123 subdomain"#))
        #expect(message.contains("metadata.name: Invalid value: \"Web-"))
    }

    @Test func labelsKeysAndValues() {
        #expect(createMessage(#"{"metadata":{"name":"c","labels":{"a/b/c":"x"}}}"#, BuiltinResources.configMaps)
                == #"ConfigMap "c" is invalid: metadata.labels: Invalid value: "a/b/c": a qualified name must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]') with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')"#)
        #expect(createMessage(#"{"metadata":{"name":"c","labels":{"app":"-bad"}}}"#, BuiltinResources.configMaps)
                == #"ConfigMap "c" is invalid: metadata.labels: Invalid value: "-bad": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')"#)
        #expect(NameValidation.qualifiedNameErrors("/name") == ["prefix part must be non-empty"])
        #expect(NameValidation.qualifiedNameErrors("Example.com/a").first?.hasPrefix("prefix part a lowercase RFC 1123 subdomain") == true)
        #expect(NameValidation.qualifiedNameErrors(String(repeating: "a", count: 64)) == ["name part must be no more than 63 characters"])
        #expect(NameValidation.labelValueErrors("ok\n").count == 1, "a trailing newline is no match, as in Go")
    }

    @Test func annotationsKeysAreCaseInsensitiveAndSizeIsBounded() {
        #expect(ObjectMetaValidation.annotations(.object(["A.B/C": .string("")]), path: FieldPath("metadata", "annotations")).isEmpty)
        let big = String(repeating: "x", count: 262_144)
        let errors = ObjectMetaValidation.annotations(.object(["k": .string(big)]), path: FieldPath("metadata", "annotations"))
        #expect(errors.map(\.description) == ["metadata.annotations: Too long: may not be more than 262144 bytes"])
        let fits = ObjectMetaValidation.annotations(.object(["k": .string(String(big.dropFirst()))]), path: FieldPath("metadata", "annotations"))
        #expect(fits.isEmpty)
    }

    @Test func ownerReferences() {
        let message = createMessage(#"{"metadata":{"name":"c","ownerReferences":[{"apiVersion":"","kind":"","name":"","uid":""}]}}"#, BuiltinResources.configMaps)
        #expect(message == #"ConfigMap "c" is invalid: [metadata.ownerReferences.apiVersion: Invalid value: "": version must not be empty, metadata.ownerReferences.kind: Invalid value: "": must not be empty, metadata.ownerReferences.name: Invalid value: "": must not be empty, metadata.ownerReferences.uid: Invalid value: "": must not be empty]"#)
        let two = #"{"metadata":{"name":"c","ownerReferences":[{"apiVersion":"v1","kind":"A","name":"a","uid":"1","controller":true},{"apiVersion":"v1","kind":"B","name":"b","uid":"2","controller":true}]}}"#
        #expect(createMessage(two, BuiltinResources.configMaps)?.contains(#"Only one reference can have Controller set to true. Found "true" in references for A/a and B/b"#) == true)
        let event = #"{"metadata":{"name":"c","ownerReferences":[{"apiVersion":"v1","kind":"Event","name":"e","uid":"1"}]}}"#
        #expect(createMessage(event, BuiltinResources.configMaps)?.hasSuffix("/v1, Kind=Event is disallowed from being an owner") == true)
    }

    @Test func finalizers() {
        #expect(createMessage(#"{"metadata":{"name":"c","finalizers":["bogus"]}}"#, BuiltinResources.configMaps)
                == #"ConfigMap "c" is invalid: metadata.finalizers[0]: Invalid value: "bogus": name is neither a standard finalizer name nor is it fully qualified"#)
        #expect(createMessage(#"{"metadata":{"name":"c","finalizers":["orphan","foregroundDeletion"]}}"#, BuiltinResources.configMaps)
                == #"ConfigMap "c" is invalid: metadata.finalizers: Invalid value: []string{"orphan", "foregroundDeletion"}: finalizer orphan and foregroundDeletion cannot be both set"#)
        #expect(createMessage(#"{"metadata":{"name":"c","finalizers":["a/b/c"]}}"#, BuiltinResources.configMaps)?
            .hasPrefix(#"ConfigMap "c" is invalid: metadata.finalizers: Invalid value: "a/b/c": a qualified name"#) == true)
    }

    @Test func namespaceScope() {
        let meta = json(#"{"name":"c"}"#)
        #expect(ObjectMetaValidation.createErrors(meta, BuiltinResources.configMaps).map(\.description) == ["metadata.namespace: Required value"])
        let clustered = json(#"{"name":"c","namespace":"x"}"#)
        #expect(ObjectMetaValidation.createErrors(clustered, BuiltinResources.storageClasses).map(\.description) == ["metadata.namespace: Forbidden: not allowed on this type"])
    }

    @Test func updateKeepsIdentity() {
        let old = json(#"{"metadata":{"name":"c","namespace":"default","uid":"1","creationTimestamp":"2024-01-02T03:04:05Z","generation":2}}"#)
        let new = json(#"{"metadata":{"name":"d","namespace":"other","uid":"2","creationTimestamp":"2024-01-02T03:04:06Z","generation":1}}"#)
        let errors = ObjectMetaValidation.updateErrors(new["metadata"]!, old: old["metadata"]!, BuiltinResources.configMaps).map(\.description)
        #expect(errors == [
            "metadata.generation: Invalid value: 1: must not be decremented",
            #"metadata.name: Invalid value: "d": field is immutable"#,
            #"metadata.namespace: Invalid value: "other": field is immutable"#,
            #"metadata.uid: Invalid value: "2": field is immutable"#,
            "metadata.creationTimestamp: Invalid value: 2024-01-02 03:04:06 +0000 UTC: field is immutable",
        ])
    }

    @Test func noNewFinalizersWhileDeleting() {
        let old = json(#"{"name":"c","deletionTimestamp":"2024-01-02T03:04:05Z","finalizers":["a.io/x"]}"#)
        let new = json(#"{"name":"c","deletionTimestamp":"2024-01-02T03:04:05Z","finalizers":["a.io/x","b.io/y"]}"#)
        let errors = ObjectMetaValidation.updateErrors(new, old: old, BuiltinResources.configMaps).map(\.description)
        #expect(errors == [#"metadata.finalizers: Forbidden: no new finalizers can be added if the object is being deleted, found new finalizers []string{"b.io/y"}"#])
    }

    @Test func customResourcesSkipTheKubeFinalizerRule() {
        var type = BuiltinResources.configMaps
        type.isCustom = true
        #expect(ObjectMetaValidation.createErrors(json(#"{"name":"c","namespace":"d","finalizers":["plain"]}"#), type).isEmpty)
    }
}
