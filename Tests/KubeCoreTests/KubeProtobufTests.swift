import Foundation
import Testing
@testable import KubeCore

/// A request body kubectl 1.33 really sent (captured from a plain-HTTP listener), with the
/// JSON the decoder must produce. The expected JSON matches kubectl's own `-o json` output
/// for the same command, minus `"creationTimestamp": null` (zero Times are omitted).
struct CapturedBody: Sendable, CustomTestStringConvertible {
    let command: String
    let base64: String
    let json: String

    var testDescription: String { command }
}

/// Builds protobuf bytes by hand for the tests: just enough of the wire format to write the
/// messages the decoder reads.
struct ProtoWriter {
    var bytes: [UInt8] = []

    mutating func varint(_ value: UInt64) {
        var value = value
        while value >= 0x80 {
            bytes.append(UInt8(value & 0x7f) | 0x80)
            value >>= 7
        }
        bytes.append(UInt8(value))
    }

    mutating func tag(_ number: Int, _ wireType: UInt64) {
        varint(UInt64(number) << 3 | wireType)
    }

    /// A varint field (int32, int64, bool, enum); negative values take ten bytes as in Go.
    mutating func int(_ number: Int, _ value: Int64) {
        tag(number, 0)
        varint(UInt64(bitPattern: value))
    }

    mutating func bool(_ number: Int, _ value: Bool) {
        int(number, value ? 1 : 0)
    }

    mutating func bytes(_ number: Int, _ value: [UInt8]) {
        tag(number, 2)
        varint(UInt64(value.count))
        bytes.append(contentsOf: value)
    }

    mutating func string(_ number: Int, _ value: String) {
        bytes(number, Array(value.utf8))
    }

    mutating func fixed64(_ number: Int, _ value: UInt64) {
        tag(number, 1)
        for shift in stride(from: 0, to: 64, by: 8) { bytes.append(UInt8(truncatingIfNeeded: value >> UInt64(shift))) }
    }

    mutating func fixed32(_ number: Int, _ value: UInt32) {
        tag(number, 5)
        for shift in stride(from: 0, to: 32, by: 8) { bytes.append(UInt8(truncatingIfNeeded: value >> UInt32(shift))) }
    }

    mutating func message(_ number: Int, _ build: (inout ProtoWriter) -> Void) {
        var inner = ProtoWriter()
        build(&inner)
        bytes(number, inner.bytes)
    }

    /// A map<string, string> entry.
    mutating func entry(_ number: Int, _ key: String, _ value: String) {
        message(number) { $0.string(1, key); $0.string(2, value) }
    }

    /// A map<string, Quantity> entry.
    mutating func quantity(_ number: Int, _ key: String, _ value: String) {
        message(number) { e in e.string(1, key); e.message(2) { $0.string(1, value) } }
    }

    /// The k8s\0 magic and a runtime.Unknown around `raw`.
    static func envelope(_ apiVersion: String, _ kind: String, _ build: (inout ProtoWriter) -> Void) -> [UInt8] {
        var raw = ProtoWriter()
        build(&raw)
        var unknown = ProtoWriter()
        unknown.message(1) { $0.string(1, apiVersion); $0.string(2, kind) }
        unknown.bytes(2, raw.bytes)
        return [0x6b, 0x38, 0x73, 0x00] + unknown.bytes
    }
}

/// Parses expected JSON text.
private func json(_ text: String) throws -> JSONValue {
    try JSONValue(parsing: Data(text.utf8))
}

@Suite struct KubeProtobufTests {
    static let captured: [CapturedBody] = [
        CapturedBody(
            command: #"kubectl create configmap x --from-literal=a=b"#,
            base64: "azhzAAoPCgJ2MRIJQ29uZmlnTWFwEiIKGAoBeBIAGgdkZWZhdWx0IgAqADIAOABCABIGCgFhEgFiGgAiAA==",
            json: #"{"apiVersion":"v1","data":{"a":"b"},"kind":"ConfigMap","metadata":{"name":"x","namespace":"default"}}"#
        ),
        CapturedBody(
            command: #"kubectl create secret generic s --from-literal=password=hunter2"#,
            base64: "azhzAAoMCgJ2MRIGU2VjcmV0EjEKGAoBcxIAGgdkZWZhdWx0IgAqADIAOABCABITCghwYXNzd29yZBIHaHVudGVyMhoAGgAiAA==",
            json: #"{"apiVersion":"v1","data":{"password":"aHVudGVyMg=="},"kind":"Secret","metadata":{"name":"s","namespace":"default"}}"#
        ),
        CapturedBody(
            command: #"kubectl create namespace ns1"#,
            base64: "azhzAAoPCgJ2MRIJTmFtZXNwYWNlEhsKEwoDbnMxEgAaACIAKgAyADgAQgASABoCCgAaACIA",
            json: #"{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"ns1"},"spec":{},"status":{}}"#
        ),
        CapturedBody(
            command: #"kubectl create serviceaccount robot"#,
            base64: "azhzAAoUCgJ2MRIOU2VydmljZUFjY291bnQSHgocCgVyb2JvdBIAGgdkZWZhdWx0IgAqADIAOABCABoAIgA=",
            json: #"{"apiVersion":"v1","kind":"ServiceAccount","metadata":{"name":"robot","namespace":"default"}}"#
        ),
        CapturedBody(
            command: #"kubectl create deployment web --image=nginx --replicas=2 --port=80"#,
            base64: "azhzAAoVCgdhcHBzL3YxEgpEZXBsb3ltZW50Er8BCiYKA3dlYhIAGgdkZWZhdWx0IgAqADIAOABCAFoKCgNhcHASA3dlYhKGAQgCEgwKCgoDYXBwEgN3ZWIabAocCgASABoAIgAqADIAOABCAFoKCgNhcHASA3dlYhJMEi4KBW5naW54EgVuZ2lueCoAMgoKABAAGFAiACoAQgBqAHIAgAEAiAEAkAEAogEAGgAyAEIASgBSAFgAYABoAIIBAIoBAJoBAMIBACICCgAoADgAGgwIABAAGAAgACgAOAAaACIA",
            json: #"{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"labels":{"app":"web"},"name":"web","namespace":"default"},"spec":{"replicas":2,"selector":{"matchLabels":{"app":"web"}},"strategy":{},"template":{"metadata":{"labels":{"app":"web"}},"spec":{"containers":[{"image":"nginx","name":"nginx","ports":[{"containerPort":80}],"resources":{}}]}}},"status":{}}"#
        ),
        CapturedBody(
            command: #"kubectl create rolebinding rb --clusterrole=view --user=bob"#,
            base64: "azhzAAorChxyYmFjLmF1dGhvcml6YXRpb24uazhzLmlvL3YxEgtSb2xlQmluZGluZxJ1ChkKAnJiEgAaB2RlZmF1bHQiACoAMgA4AEIAEigKBFVzZXISGXJiYWMuYXV0aG9yaXphdGlvbi5rOHMuaW8aA2JvYiIAGi4KGXJiYWMuYXV0aG9yaXphdGlvbi5rOHMuaW8SC0NsdXN0ZXJSb2xlGgR2aWV3GgAiAA==",
            json: #"{"apiVersion":"rbac.authorization.k8s.io/v1","kind":"RoleBinding","metadata":{"name":"rb","namespace":"default"},"roleRef":{"apiGroup":"rbac.authorization.k8s.io","kind":"ClusterRole","name":"view"},"subjects":[{"apiGroup":"rbac.authorization.k8s.io","kind":"User","name":"bob"}]}"#
        ),
        CapturedBody(
            command: #"kubectl create service clusterip svc --tcp=80:8080"#,
            base64: "azhzAAoNCgJ2MRIHU2VydmljZRJwCiYKA3N2YxIAGgdkZWZhdWx0IgAqADIAOABCAFoKCgNhcHASA3N2YxJCChsKBzgwLTgwODASA1RDUBhQIgcIABCQPxoAKAASCgoDYXBwEgNzdmMaACIJQ2x1c3RlcklQOgBCAFIAWgBgAGgAGgIKABoAIgA=",
            json: #"{"apiVersion":"v1","kind":"Service","metadata":{"labels":{"app":"svc"},"name":"svc","namespace":"default"},"spec":{"ports":[{"name":"80-8080","port":80,"protocol":"TCP","targetPort":8080}],"selector":{"app":"svc"},"type":"ClusterIP"},"status":{"loadBalancer":{}}}"#
        ),
        CapturedBody(
            command: #"kubectl create token robot"#,
            base64: "azhzAAooChhhdXRoZW50aWNhdGlvbi5rOHMuaW8vdjESDFRva2VuUmVxdWVzdBIaChAKABIAGgAiACoAMgA4AEIAEgAaBAoAEgAaACIA",
            json: #"{"apiVersion":"authentication.k8s.io/v1","kind":"TokenRequest","metadata":{},"spec":{},"status":{"token":""}}"#
        ),
        CapturedBody(
            command: #"kubectl create job j --image=busybox -- echo hi"#,
            base64: "azhzAAoPCghiYXRjaC92MRIDSm9iEokBChgKAWoSABoHZGVmYXVsdCIAKgAyADgAQgASYzJhChAKABIAGgAiACoAMgA4AEIAEk0SKgoBahIHYnVzeWJveBoEZWNobxoCaGkqAEIAagByAIABAIgBAJABAKIBABoFTmV2ZXIyAEIASgBSAFgAYABoAIIBAIoBAJoBAMIBABoIIAAoADAAOgAaACIA",
            json: #"{"apiVersion":"batch/v1","kind":"Job","metadata":{"name":"j","namespace":"default"},"spec":{"template":{"metadata":{},"spec":{"containers":[{"command":["echo","hi"],"image":"busybox","name":"j","resources":{}}],"restartPolicy":"Never"}}},"status":{}}"#
        ),
        CapturedBody(
            command: #"kubectl create cronjob cj --image=busybox --schedule='*/1 * * * *' -- date"#,
            base64: "azhzAAoTCghiYXRjaC92MRIHQ3JvbkpvYhKrAQoZCgJjahIAGgdkZWZhdWx0IgAqADIAOABCABKLAQoLKi8xICogKiAqICoaACp6ChIKAmNqEgAaACIAKgAyADgAQgASZDJiChAKABIAGgAiACoAMgA4AEIAEk4SJwoCY2oSB2J1c3lib3gaBGRhdGUqAEIAagByAIABAIgBAJABAKIBABoJT25GYWlsdXJlMgBCAEoAUgBYAGAAaACCAQCKAQCaAQDCAQAaABoAIgA=",
            json: #"{"apiVersion":"batch/v1","kind":"CronJob","metadata":{"name":"cj","namespace":"default"},"spec":{"jobTemplate":{"metadata":{"name":"cj"},"spec":{"template":{"metadata":{},"spec":{"containers":[{"command":["date"],"image":"busybox","name":"cj","resources":{}}],"restartPolicy":"OnFailure"}}}},"schedule":"*/1 * * * *"},"status":{}}"#
        ),
        CapturedBody(
            command: #"kubectl create clusterrole agg --aggregation-rule=foo=bar"#,
            base64: "azhzAAorChxyYmFjLmF1dGhvcml6YXRpb24uazhzLmlvL3YxEgtDbHVzdGVyUm9sZRIlChMKA2FnZxIAGgAiACoAMgA4AEIAGg4KDAoKCgNmb28SA2JhchoAIgA=",
            json: #"{"aggregationRule":{"clusterRoleSelectors":[{"matchLabels":{"foo":"bar"}}]},"apiVersion":"rbac.authorization.k8s.io/v1","kind":"ClusterRole","metadata":{"name":"agg"}}"#
        ),
        CapturedBody(
            command: #"kubectl create clusterrolebinding crb --clusterrole=view --serviceaccount=default:robot --group=devs"#,
            base64: "azhzAAoyChxyYmFjLmF1dGhvcml6YXRpb24uazhzLmlvL3YxEhJDbHVzdGVyUm9sZUJpbmRpbmcSlQEKEwoDY3JiEgAaACIAKgAyADgAQgASKgoFR3JvdXASGXJiYWMuYXV0aG9yaXphdGlvbi5rOHMuaW8aBGRldnMiABIiCg5TZXJ2aWNlQWNjb3VudBIAGgVyb2JvdCIHZGVmYXVsdBouChlyYmFjLmF1dGhvcml6YXRpb24uazhzLmlvEgtDbHVzdGVyUm9sZRoEdmlldxoAIgA=",
            json: #"{"apiVersion":"rbac.authorization.k8s.io/v1","kind":"ClusterRoleBinding","metadata":{"name":"crb"},"roleRef":{"apiGroup":"rbac.authorization.k8s.io","kind":"ClusterRole","name":"view"},"subjects":[{"apiGroup":"rbac.authorization.k8s.io","kind":"Group","name":"devs"},{"kind":"ServiceAccount","name":"robot","namespace":"default"}]}"#
        ),
        CapturedBody(
            command: #"kubectl create priorityclass pc --value=1000 --description=hi --preemption-policy=Never"#,
            base64: "azhzAAolChRzY2hlZHVsaW5nLms4cy5pby92MRINUHJpb3JpdHlDbGFzcxIkChIKAnBjEgAaACIAKgAyADgAQgAQ6AcYACICaGkqBU5ldmVyGgAiAA==",
            json: #"{"apiVersion":"scheduling.k8s.io/v1","description":"hi","kind":"PriorityClass","metadata":{"name":"pc"},"preemptionPolicy":"Never","value":1000}"#
        ),
        CapturedBody(
            command: #"kubectl create quota q --hard=cpu=1,memory=1G,pods=2 --scopes=BestEffort"#,
            base64: "azhzAAoTCgJ2MRINUmVzb3VyY2VRdW90YRJTChgKAXESABoHZGVmYXVsdCIAKgAyADgAQgASNQoKCgNjcHUSAwoBMQoOCgZtZW1vcnkSBAoCMUcKCwoEcG9kcxIDCgEyEgpCZXN0RWZmb3J0GgAaACIA",
            json: #"{"apiVersion":"v1","kind":"ResourceQuota","metadata":{"name":"q","namespace":"default"},"spec":{"hard":{"cpu":"1","memory":"1G","pods":"2"},"scopes":["BestEffort"]},"status":{}}"#
        ),
        CapturedBody(
            command: #"kubectl create poddisruptionbudget pdb --selector=app=web --min-available=50%"#,
            base64: "azhzAAogCglwb2xpY3kvdjESE1BvZERpc3J1cHRpb25CdWRnZXQSQwoaCgNwZGISABoHZGVmYXVsdCIAKgAyADgAQgASGQoJCAEQABoDNTAlEgwKCgoDYXBwEgN3ZWIaCggAGAAgACgAMAAaACIA",
            json: #"{"apiVersion":"policy/v1","kind":"PodDisruptionBudget","metadata":{"name":"pdb","namespace":"default"},"spec":{"minAvailable":"50%","selector":{"matchLabels":{"app":"web"}}},"status":{"currentHealthy":0,"desiredHealthy":0,"disruptionsAllowed":0,"expectedPods":0}}"#
        ),
        CapturedBody(
            command: #"kubectl create ingress ing --rule='foo.com/bar=svc1:8080,tls=my-cert' --class=nginx"#,
            base64: "azhzAAofChRuZXR3b3JraW5nLms4cy5pby92MRIHSW5ncmVzcxJsChoKA2luZxIAGgdkZWZhdWx0IgAqADIAOABCABJKEhIKB2Zvby5jb20SB215LWNlcnQaLQoHZm9vLmNvbRIiCiAKHgoEL2JhchIPIg0KBHN2YzESBQoAEJA/GgVFeGFjdCIFbmdpbngaAgoAGgAiAA==",
            json: #"{"apiVersion":"networking.k8s.io/v1","kind":"Ingress","metadata":{"name":"ing","namespace":"default"},"spec":{"ingressClassName":"nginx","rules":[{"host":"foo.com","http":{"paths":[{"backend":{"service":{"name":"svc1","port":{"number":8080}}},"path":"/bar","pathType":"Exact"}]}}],"tls":[{"hosts":["foo.com"],"secretName":"my-cert"}]},"status":{"loadBalancer":{}}}"#
        ),
        CapturedBody(
            command: #"kubectl create service nodeport np --tcp=5678:8080 --node-port=30080"#,
            base64: "azhzAAoNCgJ2MRIHU2VydmljZRJxCiQKAm5wEgAaB2RlZmF1bHQiACoAMgA4AEIAWgkKA2FwcBICbnASRQogCgk1Njc4LTgwODASA1RDUBiuLCIHCAAQkD8aACiA6wESCQoDYXBwEgJucBoAIghOb2RlUG9ydDoAQgBSAFoAYABoABoCCgAaACIA",
            json: #"{"apiVersion":"v1","kind":"Service","metadata":{"labels":{"app":"np"},"name":"np","namespace":"default"},"spec":{"ports":[{"name":"5678-8080","nodePort":30080,"port":5678,"protocol":"TCP","targetPort":8080}],"selector":{"app":"np"},"type":"NodePort"},"status":{"loadBalancer":{}}}"#
        ),
        CapturedBody(
            command: #"kubectl create service externalname en --external-name=example.com"#,
            base64: "azhzAAoNCgJ2MRIHU2VydmljZRJeCiQKAmVuEgAaB2RlZmF1bHQiACoAMgA4AEIAWgkKA2FwcBICZW4SMhIJCgNhcHASAmVuGgAiDEV4dGVybmFsTmFtZToAQgBSC2V4YW1wbGUuY29tWgBgAGgAGgIKABoAIgA=",
            json: #"{"apiVersion":"v1","kind":"Service","metadata":{"labels":{"app":"en"},"name":"en","namespace":"default"},"spec":{"externalName":"example.com","selector":{"app":"en"},"type":"ExternalName"},"status":{"loadBalancer":{}}}"#
        ),
        CapturedBody(
            command: #"kubectl create service loadbalancer lb --tcp=443:8443"#,
            base64: "azhzAAoNCgJ2MRIHU2VydmljZRJyCiQKAmxiEgAaB2RlZmF1bHQiACoAMgA4AEIAWgkKA2FwcBICbGISRgodCgg0NDMtODQ0MxIDVENQGLsDIgcIABD7QRoAKAASCQoDYXBwEgJsYhoAIgxMb2FkQmFsYW5jZXI6AEIAUgBaAGAAaAAaAgoAGgAiAA==",
            json: #"{"apiVersion":"v1","kind":"Service","metadata":{"labels":{"app":"lb"},"name":"lb","namespace":"default"},"spec":{"ports":[{"name":"443-8443","port":443,"protocol":"TCP","targetPort":8443}],"selector":{"app":"lb"},"type":"LoadBalancer"},"status":{"loadBalancer":{}}}"#
        ),
        CapturedBody(
            command: #"kubectl create secret docker-registry dr --docker-server=r.io --docker-username=u --docker-password=p"#,
            base64: "azhzAAoMCgJ2MRIGU2VjcmV0EpIBChkKAmRyEgAaB2RlZmF1bHQiACoAMgA4AEIAElUKES5kb2NrZXJjb25maWdqc29uEkB7ImF1dGhzIjp7InIuaW8iOnsidXNlcm5hbWUiOiJ1IiwicGFzc3dvcmQiOiJwIiwiYXV0aCI6ImRUcHcifX19Gh5rdWJlcm5ldGVzLmlvL2RvY2tlcmNvbmZpZ2pzb24aACIA",
            json: #"{"apiVersion":"v1","data":{".dockerconfigjson":"eyJhdXRocyI6eyJyLmlvIjp7InVzZXJuYW1lIjoidSIsInBhc3N3b3JkIjoicCIsImF1dGgiOiJkVHB3In19fQ=="},"kind":"Secret","metadata":{"name":"dr","namespace":"default"},"type":"kubernetes.io/dockerconfigjson"}"#
        ),
        CapturedBody(
            command: #"kubectl create token robot --audience=api --duration=10m --bound-object-kind=Pod --bound-object-name=p1 --bound-object-uid=123"#,
            base64: "azhzAAooChhhdXRoZW50aWNhdGlvbi5rOHMuaW8vdjESDFRva2VuUmVxdWVzdBI2ChAKABIAGgAiACoAMgA4AEIAEhwKA2FwaRoSCgNQb2QSAnYxGgJwMSIDMTIzINgEGgQKABIAGgAiAA==",
            json: #"{"apiVersion":"authentication.k8s.io/v1","kind":"TokenRequest","metadata":{},"spec":{"audiences":["api"],"boundObjectRef":{"apiVersion":"v1","kind":"Pod","name":"p1","uid":"123"},"expirationSeconds":600},"status":{"token":""}}"#
        ),
    ]

    @Test(arguments: captured)
    func decodesRealKubectlBodies(_ body: CapturedBody) throws {
        let bytes = try #require(Data(base64Encoded: body.base64))
        let decoded = try KubeProtobuf.decode(Array(bytes))
        #expect(decoded == (try json(body.json)))
    }
}

// MARK: - Hand-built messages

extension KubeProtobufTests {
    /// 2024-01-02T03:04:05Z.
    static let someTime: Int64 = 1_704_164_645

    @Test func decodesPodWithMetadataContainersAndVolumes() throws {
        let body = ProtoWriter.envelope("v1", "Pod") { pod in
            pod.message(1) { meta in
                meta.string(1, "web-0")
                meta.string(3, "prod")
                meta.string(5, "")                 // empty string: dropped
                meta.int(7, 0)                     // generation 0: dropped
                meta.message(8) { $0.int(1, Self.someTime); $0.int(2, 999) }
                meta.entry(11, "app", "web")
                meta.entry(12, "note", "")         // empty map value: kept
                meta.message(13) { owner in
                    owner.string(1, "ReplicaSet")
                    owner.string(3, "web-abc")
                    owner.string(4, "u-1")
                    owner.string(5, "apps/v1")
                    owner.bool(6, true)
                    owner.bool(7, false)           // pointer: kept although false
                }
                meta.string(14, "example.com/guard")
                meta.message(17) { entry in
                    entry.string(1, "kubectl")
                    entry.string(2, "Update")
                    entry.string(3, "v1")
                    entry.message(4) { $0.int(1, Self.someTime) }
                    entry.string(6, "FieldsV1")
                    entry.message(7) { $0.string(1, #"{"f:metadata":{"f:labels":{}}}"#) }
                }
            }
            pod.message(2) { spec in
                spec.message(1) { volume in
                    volume.string(1, "config")
                    volume.message(2) { source in
                        source.message(19) { cm in
                            cm.message(1) { $0.string(1, "app-config") }   // inline LocalObjectReference
                            cm.message(2) { $0.string(1, "k"); $0.string(2, "k.txt") }
                            cm.int(3, 420)
                        }
                    }
                }
                spec.message(1) { volume in
                    volume.string(1, "scratch")
                    volume.message(2) { $0.message(2) { _ in } }
                }
                spec.message(1) { volume in
                    volume.string(1, "creds")
                    volume.message(2) { $0.message(6) { $0.string(1, "db"); $0.bool(4, false) } }
                }
                spec.message(1) { volume in
                    volume.string(1, "host")
                    volume.message(2) { $0.message(1) { $0.string(1, "/var/log"); $0.string(2, "Directory") } }
                }
                spec.message(2) { c in
                    c.string(1, "app")
                    c.string(2, "nginx:1.27")
                    c.string(3, "/bin/sh")
                    c.string(3, "-c")
                    c.string(4, "run")
                    c.string(5, "/srv")
                    c.message(6) { $0.string(1, "http"); $0.int(2, 0); $0.int(3, 8080); $0.string(4, "TCP") }
                    c.message(7) { $0.string(1, "MODE"); $0.string(2, "") }
                    c.message(7) { env in
                        env.string(1, "LEVEL")
                        env.message(3) { from in
                            from.message(3) { ref in
                                ref.message(1) { $0.string(1, "app-config") }
                                ref.string(2, "level")
                            }
                        }
                    }
                    c.message(7) { env in
                        env.string(1, "POD")
                        env.message(3) { $0.message(1) { $0.string(2, "metadata.name") } }
                    }
                    c.message(7) { env in
                        env.string(1, "PASSWORD")
                        env.message(3) { from in
                            from.message(4) { ref in
                                ref.message(1) { $0.string(1, "db") }
                                ref.string(2, "password")
                                ref.bool(3, true)
                            }
                        }
                    }
                    c.message(8) { res in
                        res.quantity(1, "cpu", "500m")
                        res.quantity(2, "memory", "64Mi")
                    }
                    c.message(9) { $0.string(1, "config"); $0.bool(2, true); $0.string(3, "/etc/app") }
                    c.message(10) { probe in
                        probe.message(1) { handler in
                            handler.message(2) { get in
                                get.string(1, "/healthz")
                                get.message(2) { $0.int(1, 1); $0.string(3, "http") }
                            }
                        }
                        probe.int(2, 0)
                        probe.int(4, 10)
                    }
                    c.string(13, "/dev/termination-log")
                    c.string(14, "IfNotPresent")
                    c.message(15) { sc in
                        sc.message(1) { $0.string(2, "ALL") }
                        sc.bool(2, false)
                        sc.int(4, 0)
                    }
                    c.string(20, "File")
                    c.bool(16, false)
                }
                spec.string(3, "Always")
                spec.int(4, 0)
                spec.string(6, "ClusterFirst")
                spec.bool(11, false)
                spec.message(22) { $0.string(1, "node.kubernetes.io/not-ready"); $0.string(2, "Exists"); $0.string(4, "NoExecute"); $0.int(5, 300) }
            }
            pod.message(3) { _ in }
        }
        let expected = try json(#"""
        {"apiVersion":"v1","kind":"Pod",
         "metadata":{"name":"web-0","namespace":"prod","creationTimestamp":"2024-01-02T03:04:05Z",
           "labels":{"app":"web"},"annotations":{"note":""},
           "ownerReferences":[{"apiVersion":"apps/v1","kind":"ReplicaSet","name":"web-abc","uid":"u-1","controller":true,"blockOwnerDeletion":false}],
           "finalizers":["example.com/guard"],
           "managedFields":[{"manager":"kubectl","operation":"Update","apiVersion":"v1","time":"2024-01-02T03:04:05Z",
             "fieldsType":"FieldsV1","fieldsV1":{"f:metadata":{"f:labels":{}}}}]},
         "spec":{
           "volumes":[
             {"name":"config","configMap":{"name":"app-config","items":[{"key":"k","path":"k.txt"}],"defaultMode":420}},
             {"name":"scratch","emptyDir":{}},
             {"name":"creds","secret":{"secretName":"db","optional":false}},
             {"name":"host","hostPath":{"path":"/var/log","type":"Directory"}}],
           "containers":[{"name":"app","image":"nginx:1.27","command":["/bin/sh","-c"],"args":["run"],"workingDir":"/srv",
             "ports":[{"name":"http","containerPort":8080,"protocol":"TCP"}],
             "env":[{"name":"MODE"},
                    {"name":"LEVEL","valueFrom":{"configMapKeyRef":{"name":"app-config","key":"level"}}},
                    {"name":"POD","valueFrom":{"fieldRef":{"fieldPath":"metadata.name"}}},
                    {"name":"PASSWORD","valueFrom":{"secretKeyRef":{"name":"db","key":"password","optional":true}}}],
             "resources":{"limits":{"cpu":"500m"},"requests":{"memory":"64Mi"}},
             "volumeMounts":[{"name":"config","readOnly":true,"mountPath":"/etc/app"}],
             "livenessProbe":{"httpGet":{"path":"/healthz","port":"http"},"periodSeconds":10},
             "terminationMessagePath":"/dev/termination-log","terminationMessagePolicy":"File",
             "imagePullPolicy":"IfNotPresent",
             "securityContext":{"capabilities":{"drop":["ALL"]},"privileged":false,"runAsUser":0}}],
           "restartPolicy":"Always","terminationGracePeriodSeconds":0,"dnsPolicy":"ClusterFirst",
           "tolerations":[{"key":"node.kubernetes.io/not-ready","operator":"Exists","effect":"NoExecute","tolerationSeconds":300}]},
         "status":{}}
        """#)
        #expect(try KubeProtobuf.decode(body) == expected)
    }

    @Test func keepsZeroOnlyWherePointerOrRequired() throws {
        let deployment = ProtoWriter.envelope("apps/v1", "Deployment") { d in
            d.message(1) { $0.string(1, "idle") }
            d.message(2) { spec in
                spec.int(1, 0)        // *int32 replicas: 0 is meaningful
                spec.int(5, 0)        // minReadySeconds, omitempty
                spec.bool(7, false)   // paused, omitempty
                spec.message(4) { strategy in
                    strategy.string(1, "RollingUpdate")
                    strategy.message(2) { ru in
                        ru.message(1) { $0.int(1, 0); $0.int(2, 0) }                  // maxUnavailable: 0
                        ru.message(2) { $0.int(1, 1); $0.string(3, "25%") }           // maxSurge: "25%"
                    }
                }
            }
        }
        #expect(try KubeProtobuf.decode(deployment) == (try json(#"""
        {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"idle"},
         "spec":{"replicas":0,"strategy":{"type":"RollingUpdate","rollingUpdate":{"maxUnavailable":0,"maxSurge":"25%"}}}}
        """#)))

        let priorityClass = ProtoWriter.envelope("scheduling.k8s.io/v1", "PriorityClass") { pc in
            pc.message(1) { $0.string(1, "zero") }
            pc.int(2, 0)              // value has no omitempty
            pc.bool(3, false)         // globalDefault is omitempty
        }
        #expect(try KubeProtobuf.decode(priorityClass) == (try json(#"""
        {"apiVersion":"scheduling.k8s.io/v1","kind":"PriorityClass","metadata":{"name":"zero"},"value":0}
        """#)))
    }

    @Test func decodesNegativeNumbersAndPackedOrUnpackedRepeatedScalars() throws {
        let pod = ProtoWriter.envelope("v1", "Pod") { pod in
            pod.message(2) { spec in
                spec.int(25, -5)                                      // priority
                spec.message(14) { sc in
                    var packed = ProtoWriter()
                    packed.varint(1000)
                    packed.varint(2000)
                    sc.bytes(4, packed.bytes)                         // supplementalGroups packed
                    sc.int(4, 3000)                                   // and one more unpacked
                }
            }
        }
        let decoded = try KubeProtobuf.decode(pod)
        #expect(decoded[path: ["spec", "priority"]] == .integer(-5))
        #expect(decoded[path: ["spec", "securityContext", "supplementalGroups"]] == .array([.integer(1000), .integer(2000), .integer(3000)]))
    }

    @Test func skipsUnknownFieldsOfEveryWireType() throws {
        let body = ProtoWriter.envelope("v1", "ConfigMap") { cm in
            cm.int(90, 7)
            cm.fixed64(91, 42)
            cm.string(92, "future")
            cm.fixed32(93, 1)
            cm.message(1) { meta in
                meta.string(1, "x")
                meta.message(99) { $0.string(1, "nested unknown") }
            }
            cm.entry(2, "a", "b")
        }
        #expect(try KubeProtobuf.decode(body) == (try json(#"""
        {"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"x"},"data":{"a":"b"}}
        """#)))
    }

    @Test func mapEntryWithoutValueIsTheZeroValue() throws {
        let body = ProtoWriter.envelope("v1", "ConfigMap") { cm in
            cm.message(2) { $0.string(1, "empty") }
            cm.message(3) { $0.string(1, "blob"); $0.bytes(2, [0, 1, 2]) }
        }
        #expect(try KubeProtobuf.decode(body) == (try json(#"""
        {"apiVersion":"v1","kind":"ConfigMap","data":{"empty":""},"binaryData":{"blob":"AAEC"}}
        """#)))
    }

    @Test func decodesLeaseMicroTimes() throws {
        let body = ProtoWriter.envelope("coordination.k8s.io/v1", "Lease") { lease in
            lease.message(1) { $0.string(1, "kube-scheduler"); $0.string(3, "kube-system") }
            lease.message(2) { spec in
                spec.string(1, "node-1_abc")
                spec.int(2, 15)
                spec.message(3) { $0.int(1, Self.someTime); $0.int(2, 123_456_789) }
                spec.message(4) { $0.int(1, Self.someTime + 10) }
                spec.int(5, 0)
            }
        }
        #expect(try KubeProtobuf.decode(body) == (try json(#"""
        {"apiVersion":"coordination.k8s.io/v1","kind":"Lease","metadata":{"name":"kube-scheduler","namespace":"kube-system"},
         "spec":{"holderIdentity":"node-1_abc","leaseDurationSeconds":15,
                 "acquireTime":"2024-01-02T03:04:05.123456Z","renewTime":"2024-01-02T03:04:15.000000Z","leaseTransitions":0}}
        """#)))
    }

    @Test(arguments: ["v1", "meta.k8s.io/v1"])
    func decodesDeleteOptions(apiVersion: String) throws {
        let body = ProtoWriter.envelope(apiVersion, "DeleteOptions") { options in
            options.int(1, 0)
            options.message(2) { $0.string(1, "u-1") }
            options.string(4, "Foreground")
            options.string(5, "All")
        }
        #expect(try KubeProtobuf.decode(body) == (try json(#"""
        {"apiVersion":"\#(apiVersion)","kind":"DeleteOptions","gracePeriodSeconds":0,
         "preconditions":{"uid":"u-1"},"propagationPolicy":"Foreground","dryRun":["All"]}
        """#)))
    }

    @Test func decodesRoleAndStatefulSetAndRawExtension() throws {
        let role = ProtoWriter.envelope("rbac.authorization.k8s.io/v1", "Role") { role in
            role.message(1) { $0.string(1, "reader"); $0.string(3, "default") }
            role.message(2) { rule in
                rule.string(1, "get")
                rule.string(1, "list")
                rule.string(2, "")
                rule.string(3, "pods")
                rule.string(4, "web-0")
            }
        }
        #expect(try KubeProtobuf.decode(role) == (try json(#"""
        {"apiVersion":"rbac.authorization.k8s.io/v1","kind":"Role","metadata":{"name":"reader","namespace":"default"},
         "rules":[{"verbs":["get","list"],"apiGroups":[""],"resources":["pods"],"resourceNames":["web-0"]}]}
        """#)))

        let statefulSet = ProtoWriter.envelope("apps/v1", "StatefulSet") { sts in
            sts.message(2) { spec in
                spec.int(1, 3)
                spec.string(5, "db")
                spec.message(4) { claim in
                    claim.message(1) { $0.string(1, "data") }
                    claim.message(2) { pvc in
                        pvc.string(1, "ReadWriteOnce")
                        pvc.message(2) { $0.quantity(2, "storage", "1Gi") }
                    }
                }
                spec.message(7) { $0.string(1, "RollingUpdate"); $0.message(2) { $0.int(1, 0) } }
            }
        }
        #expect(try KubeProtobuf.decode(statefulSet) == (try json(#"""
        {"apiVersion":"apps/v1","kind":"StatefulSet",
         "spec":{"replicas":3,"serviceName":"db",
                 "volumeClaimTemplates":[{"metadata":{"name":"data"},
                   "spec":{"accessModes":["ReadWriteOnce"],"resources":{"requests":{"storage":"1Gi"}}}}],
                 "updateStrategy":{"type":"RollingUpdate","rollingUpdate":{"partition":0}}}}
        """#)))

        let revision = ProtoWriter.envelope("apps/v1", "ControllerRevision") { rev in
            rev.message(1) { $0.string(1, "web-1") }
            rev.message(2) { $0.string(1, #"{"spec":{"template":{"$patch":"replace"}}}"#) }
            rev.int(3, 1)
        }
        #expect(try KubeProtobuf.decode(revision) == (try json(#"""
        {"apiVersion":"apps/v1","kind":"ControllerRevision","metadata":{"name":"web-1"},
         "data":{"spec":{"template":{"$patch":"replace"}}},"revision":1}
        """#)))
    }

    @Test func decodesUserInfoExtraAsStringArrays() throws {
        let body = ProtoWriter.envelope("authentication.k8s.io/v1", "TokenReview") { review in
            review.message(3) { status in
                status.bool(1, true)
                status.message(2) { user in
                    user.string(1, "alice")
                    user.string(3, "devs")
                    user.message(4) { entry in
                        entry.string(1, "scopes")
                        entry.message(2) { $0.string(1, "a"); $0.string(1, "b") }
                    }
                }
            }
        }
        #expect(try KubeProtobuf.decode(body) == (try json(#"""
        {"apiVersion":"authentication.k8s.io/v1","kind":"TokenReview",
         "status":{"authenticated":true,"user":{"username":"alice","groups":["devs"],"extra":{"scopes":["a","b"]}}}}
        """#)))
    }
}

// MARK: - Errors

extension KubeProtobufTests {
    @Test func rejectsBodiesWithoutTheMagic() {
        #expect(throws: KubeProtobufError.self) { try KubeProtobuf.decode(Array("{}".utf8)) }
        #expect(throws: KubeProtobufError.self) { try KubeProtobuf.decode([0x6b, 0x38]) }
    }

    @Test func rejectsKindsWithoutSchema() {
        let body = ProtoWriter.envelope("v1", "Node") { $0.message(1) { $0.string(1, "n1") } }
        #expect(throws: KubeProtobufError("no protobuf schema for v1/Node")) { try KubeProtobuf.decode(body) }
        #expect(!KubeProtobuf.hasSchema(apiVersion: "v1", kind: "Node"))
        #expect(KubeProtobuf.hasSchema(apiVersion: "apps/v1", kind: "Deployment"))
    }

    @Test func rejectsTruncatedAndMistypedMessages() throws {
        let whole = ProtoWriter.envelope("v1", "ConfigMap") { $0.message(1) { $0.string(1, "abcdef") } }
        #expect(throws: KubeProtobufError.self) { try KubeProtobuf.decode(Array(whole.dropLast(3))) }

        // metadata (field 1) must be length-delimited; a varint there is not a ConfigMap.
        let mistyped = ProtoWriter.envelope("v1", "ConfigMap") { $0.int(1, 5) }
        #expect(throws: KubeProtobufError.self) { try KubeProtobuf.decode(mistyped) }
    }

    @Test func rejectsDeeplyNestedMessages() {
        // Schemas themselves nest only finitely, but a RawExtension may hold another
        // envelope: eighty of them inside each other must be refused, not recursed into.
        var body = ProtoWriter.envelope("apps/v1", "ControllerRevision") { $0.int(3, 1) }
        for _ in 0..<80 {
            let inner = body
            body = ProtoWriter.envelope("apps/v1", "ControllerRevision") { $0.message(2) { $0.bytes(1, inner) } }
        }
        #expect(throws: KubeProtobufError.self) { try KubeProtobuf.decode(body) }
    }
}

// MARK: - Pieces

extension KubeProtobufTests {
    @Test func formatsTimesLikeGo() {
        #expect(WellKnownTypes.rfc3339(seconds: 0, micros: nil) == "1970-01-01T00:00:00Z")
        #expect(WellKnownTypes.rfc3339(seconds: Self.someTime, micros: nil) == "2024-01-02T03:04:05Z")
        #expect(WellKnownTypes.rfc3339(seconds: 951_782_400, micros: 7) == "2000-02-29T00:00:00.000007Z")
        #expect(WellKnownTypes.rfc3339(seconds: -1, micros: nil) == "1969-12-31T23:59:59Z")
    }

    @Test func formatsDurationsLikeGo() {
        #expect(WellKnownTypes.goDuration(0) == "0s")
        #expect(WellKnownTypes.goDuration(7) == "7ns")
        #expect(WellKnownTypes.goDuration(1_500) == "1.5µs")
        #expect(WellKnownTypes.goDuration(250_000_000) == "250ms")
        #expect(WellKnownTypes.goDuration(1_500_000_000) == "1.5s")
        #expect(WellKnownTypes.goDuration(150_000_000_000) == "2m30s")
        #expect(WellKnownTypes.goDuration(3_600_000_000_000) == "1h0m0s")
        #expect(WellKnownTypes.goDuration(-90_000_000_000) == "-1m30s")
    }

    /// Every message a schema names exists, every top-level kind resolves, and only inline
    /// fields lack a JSON name: a typo in the tables would otherwise surface as a runtime
    /// "no schema named" error on some rarely used field.
    @Test func schemaTablesAreClosed() {
        for schema in ProtobufSchemas.all.values {
            for field in schema.fields.values {
                if case .message(let name) = field.type {
                    #expect(ProtobufSchemas.all[name] != nil, "\(schema.name).\(field.number) names missing \(name)")
                }
                #expect(field.jsonName.isEmpty == (field.shape == .inline), "\(schema.name).\(field.number)")
            }
        }
        for (kind, name) in ProtobufSchemas.kinds {
            #expect(ProtobufSchemas.all[name] != nil, "\(kind)")
        }
    }
}
