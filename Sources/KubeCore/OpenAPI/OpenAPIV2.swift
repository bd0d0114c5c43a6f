import Foundation

/// `/openapi/v2`. As JSON it carries kube-apiserver 1.33's definitions of every built-in kind
/// (``KubeOpenAPIDefinitions``), which `kubectl explain --output=plaintext-openapiv2` and older
/// clients read. The protobuf form kubectl asks for carries no definitions yet, so kubectl's
/// v2-based features fall back to its compiled-in types; kubectl 1.27+ reads `/openapi/v3`.
public enum OpenAPIV2 {
    /// The version the documents report.
    public static let kubernetesVersion = "v1.33.0"

    /// The JSON document (`Accept: application/json`).
    public static func jsonDocument() -> JSONValue {
        .object([
            "swagger": .string("2.0"),
            "info": .object(["title": .string("Kubernetes"), "version": .string(kubernetesVersion)]),
            "paths": .object([:]),
            "definitions": .object(KubeOpenAPIDefinitions.all),
        ])
    }

    /// The protobuf document kubectl actually requests
    /// (`application/com.github.proto-openapi.spec.v2@v1.0+protobuf`): a gnostic
    /// `openapi.v2.Document` with `swagger` (field 1) and `info` (field 2: title 1, version 2).
    public static func protobufDocument() -> Data {
        func field(_ number: UInt8, _ bytes: [UInt8]) -> [UInt8] {
            // Wire type 2 (length-delimited); every length here is under 128, one varint byte.
            [number << 3 | 2, UInt8(bytes.count)] + bytes
        }
        let info = field(1, Array("Kubernetes".utf8)) + field(2, Array(kubernetesVersion.utf8))
        return Data(field(1, Array("2.0".utf8)) + field(2, info))
    }

    /// The media type of `protobufDocument()`.
    public static let protobufMediaType = "application/com.github.proto-openapi.spec.v2@v1.0+protobuf"
}
