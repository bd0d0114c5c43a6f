// swift-tools-version: 6.1
// Tool package used only by hack/codegen.sh: it pins the protoc plugins that generate
// Sources/EtcdProto/Generated. Build the plugins with
//   swift build -c release --package-path hack/codegen --product protoc-gen-swift
//   swift build -c release --package-path hack/codegen --product protoc-gen-grpc-swift-2
import PackageDescription

let package = Package(
    name: "ketch-codegen",
    dependencies: [
        .package(url: "https://github.com/apple/swift-protobuf.git", from: "1.39.0"),
        .package(url: "https://github.com/grpc/grpc-swift-protobuf.git", from: "2.4.1"),
    ],
    targets: [
        // SwiftPM wants at least one target; the products we build come from the dependencies.
        .target(name: "CodegenTools", path: "Sources/CodegenTools")
    ]
)
