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
