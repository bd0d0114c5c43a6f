// swift-tools-version: 6.1
import PackageDescription

let package = Package(
    name: "ketch",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "ketch", targets: ["ketch"]),
        .executable(name: "ketch-bench", targets: ["ketch-bench"]),
        .library(name: "KetchStore", targets: ["KetchStore"]),
        .library(name: "EtcdKeySpace", targets: ["EtcdKeySpace"]),
        .library(name: "EtcdProto", targets: ["EtcdProto"]),
        .library(name: "EtcdV2", targets: ["EtcdV2"]),
        .library(name: "EtcdAPI", targets: ["EtcdAPI"]),
        .library(name: "KetchCtl", targets: ["KetchCtl"]),
        .library(name: "KetchPKI", targets: ["KetchPKI"]),
        .library(name: "KetchBootstrap", targets: ["KetchBootstrap"]),
        .library(name: "KubeCore", targets: ["KubeCore"]),
        .library(name: "EtcdClient", targets: ["EtcdClient"]),
        .library(name: "KetchAPIServer", targets: ["KetchAPIServer"]),
        .library(name: "KubeClient", targets: ["KubeClient"]),
        .library(name: "KetchControllers", targets: ["KetchControllers"]),
    ],
    dependencies: [
        .package(url: "https://github.com/grpc/grpc-swift-2.git", from: "2.4.3"),
        .package(url: "https://github.com/grpc/grpc-swift-nio-transport.git", from: "2.9.2"),
        .package(url: "https://github.com/grpc/grpc-swift-protobuf.git", from: "2.4.1"),
        .package(url: "https://github.com/apple/swift-protobuf.git", from: "1.39.0"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "3.12.3"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-async-algorithms.git", from: "1.1.4"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.6"),
        .package(url: "https://github.com/apple/swift-nio-http2.git", from: "1.46.0"),
        .package(url: "https://github.com/apple/swift-certificates.git", from: "1.21.1"),
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.2.2"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-websocket.git", from: "2.8.1"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
    ],
    targets: [
        // The system SQLite (libsqlite3-dev); a thin module so KetchStore controls every call.
        .systemLibrary(
            name: "CSQLite",
            pkgConfig: "sqlite3",
            providers: [.apt(["libsqlite3-dev"])]
        ),
        // OpenSSL's libcrypto (libssl-dev), for the cluster PKI.
        .systemLibrary(
            name: "COpenSSL",
            pkgConfig: "libcrypto",
            providers: [.apt(["libssl-dev"])]
        ),
        // zlib (zlib1g-dev), for SPDY/3.1 header compression (`kubectl exec` from kubectl < 1.31).
        .systemLibrary(
            name: "CZlib",
            pkgConfig: "zlib",
            providers: [.apt(["zlib1g-dev"])]
        ),
        // Certificates and keys as kubeadm makes them; profiles are data under pki/.
        .target(
            name: "KetchPKI",
            dependencies: ["COpenSSL"],
            // The repo's pki/ (certificate profiles as data; never keys), carried by the binary.
            resources: [.copy("pki")]
        ),
        // `ketch init`: PKI, kubeconfigs, static pod manifests, the /registry preload.
        .target(
            name: "KetchBootstrap",
            dependencies: [
                "KetchPKI",
                "KubeCore",
                .product(name: "Yams", package: "Yams"),
                .product(name: "Logging", package: "swift-log"),
            ],
            // The repo's manifests/ (templates and seed objects), linked in so the binary carries them.
            resources: [.copy("manifests")]
        ),
        // Go's text conventions that etcd's and Kubernetes' tools print and parse (durations,
        // quoting, JSON string escaping), so output matches theirs byte for byte. Foundation only.
        .target(
            name: "GoText",
            dependencies: []
        ),
        // etcd's key-space rules shared by the store, the server and every client: range ends
        // and prefixes. Foundation only.
        .target(
            name: "EtcdKeySpace",
            dependencies: []
        ),
        // etcd's wire types: the generated protobuf messages and gRPC stubs for etcd 3.5's v3 API
        // (written by hack/codegen.sh). No server code, so clients link only this.
        .target(
            name: "EtcdProto",
            dependencies: [
                .product(name: "GRPCCore", package: "grpc-swift-2"),
                .product(name: "GRPCProtobuf", package: "grpc-swift-protobuf"),
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
            ]
        ),
        // etcd's v2 key API emulated over any v3 key space (a backend protocol): shared by the
        // server's /v2/keys and `ketch ctl` in v2 mode. Foundation only.
        .target(
            name: "EtcdV2",
            dependencies: ["EtcdKeySpace", "GoText"]
        ),
        // MVCC key-value store: revisions, key index, durable log. No networking.
        .target(
            name: "KetchStore",
            dependencies: [
                "CSQLite",
                "EtcdKeySpace",
                // SHA-256 of snapshot files (the digest etcd appends), checked on restore.
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // The etcd server: etcd's v3 services (gRPC), HTTP endpoints and /v2/keys over KetchStore.
        .target(
            name: "EtcdAPI",
            dependencies: [
                "KetchStore",
                "EtcdProto",
                "EtcdV2",
                // The `--auto-tls` certificate and peer-certificate subjects (OpenSSL).
                "KetchPKI",
                .product(name: "GRPCCore", package: "grpc-swift-2"),
                .product(name: "GRPCProtobuf", package: "grpc-swift-protobuf"),
                .product(name: "GRPCNIOTransportHTTP2", package: "grpc-swift-nio-transport"),
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "_CryptoExtras", package: "swift-crypto"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOHTTP2", package: "swift-nio-http2"),
                .product(name: "NIOHPACK", package: "swift-nio-http2"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "AsyncAlgorithms", package: "swift-async-algorithms"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // Kubernetes objects as data: JSON values, patches, selectors, the resource catalogue,
        // discovery documents and Table columns. Foundation only, so it builds in seconds.
        .target(
            name: "KubeCore",
            dependencies: ["GoText", "CZlib"]
        ),
        // An etcd v3 client over gRPC (plaintext, TLS, mTLS) for the apiserver shim and `ketch ctl`.
        .target(
            name: "EtcdClient",
            dependencies: [
                "EtcdProto",
                "EtcdKeySpace",
                .product(name: "GRPCCore", package: "grpc-swift-2"),
                .product(name: "GRPCNIOTransportHTTP2", package: "grpc-swift-nio-transport"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // `ketch apiserver`: a small kube-apiserver over any etcd v3 endpoint.
        .target(
            name: "KetchAPIServer",
            dependencies: [
                "KubeCore",
                "EtcdClient",
                "EtcdKeySpace",
                "KetchBootstrap",
                "KetchPKI",
                "CZlib",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTLS", package: "hummingbird"),
                .product(name: "HummingbirdHTTP2", package: "hummingbird"),
                .product(name: "HummingbirdWebSocket", package: "hummingbird-websocket"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOTLS", package: "swift-nio"),
                .product(name: "NIOHTTP2", package: "swift-nio-http2"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "_CryptoExtras", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Yams", package: "Yams"),
            ]
        ),
        // A kube-apiserver client over HTTPS (kubeconfig, client certificates, list/watch),
        // as client-go's dynamic client: what the controllers, scheduler and kubelet speak.
        .target(
            name: "KubeClient",
            dependencies: [
                "KubeCore",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Yams", package: "Yams"),
            ]
        ),
        // kube-controller-manager's controllers, kube-scheduler and the simulated kubelet:
        // informers and reconcile loops over KubeClient, never a shortcut into etcd.
        .target(
            name: "KetchControllers",
            dependencies: [
                "GoText",
                "KetchPKI",
                "KubeCore",
                "KubeClient",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // etcdctl 3.5: its commands, flag tables, output printers and help, over EtcdClient (v3)
        // and EtcdV2 (v2 mode). Local-file commands reach the store through `CtlLocalStore`.
        .target(
            name: "KetchCtl",
            dependencies: [
                "GoText",
                "EtcdClient",
                "EtcdProto",
                "EtcdKeySpace",
                "EtcdV2",
                .product(name: "GRPCCore", package: "grpc-swift-2"),
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
            ]
        ),
        // `ketch etcd`'s configuration: flags, ETCD_* variables and --config-file with etcd 3.5's
        // precedence, listen URLs, client TLS choices and etcd's JSON log lines. No server code.
        .target(
            name: "EtcdServerConfig",
            dependencies: [
                "GoText",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Yams", package: "Yams"),
            ]
        ),
        // `ketch up`'s supervisor: static Pod commands as child processes, restarts with back-off,
        // readiness probes, the state-directory lock. Foundation and KetchBootstrap only.
        .target(
            name: "KetchUp",
            dependencies: ["KetchBootstrap"]
        ),
        .executableTarget(
            name: "ketch",
            dependencies: [
                "KetchUp",
                "EtcdServerConfig",
                "GoText",
                "KetchCtl",
                "EtcdAPI",
                "EtcdClient",
                "KetchAPIServer",
                "KetchControllers",
                "KubeClient",
                "KubeCore",
                "KetchStore",
                "KetchBootstrap",
                "KetchPKI",
                .product(name: "GRPCCore", package: "grpc-swift-2"),
                .product(name: "GRPCNIOTransportHTTP2", package: "grpc-swift-nio-transport"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Yams", package: "Yams"),
            ]
        ),
        // A load client for any etcd v3 endpoint, so Ketch and real etcd are measured alike.
        .executableTarget(
            name: "ketch-bench",
            dependencies: [
                "EtcdProto",
                "EtcdKeySpace",
                .product(name: "GRPCCore", package: "grpc-swift-2"),
                .product(name: "GRPCNIOTransportHTTP2", package: "grpc-swift-nio-transport"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .testTarget(
            name: "EtcdV2Tests",
            dependencies: ["EtcdV2", "EtcdKeySpace"]
        ),
        .testTarget(
            name: "GoTextTests",
            dependencies: ["GoText"]
        ),
        .testTarget(
            name: "EtcdServerConfigTests",
            dependencies: ["EtcdServerConfig"]
        ),
        .testTarget(
            name: "KetchUpTests",
            dependencies: ["KetchUp", "KetchBootstrap"]
        ),
        .testTarget(
            name: "KetchStoreTests",
            dependencies: ["KetchStore"]
        ),
        .testTarget(
            name: "KetchPKITests",
            dependencies: ["KetchPKI"]
        ),
        .testTarget(
            name: "KetchBootstrapTests",
            dependencies: ["KetchBootstrap", "KetchPKI", "KubeCore"]
        ),
        .testTarget(
            name: "KubeCoreTests",
            dependencies: ["KubeCore"]
        ),
        .testTarget(
            name: "KetchAPIServerTests",
            dependencies: ["KetchAPIServer", "KubeCore", "EtcdClient"]
        ),
        .testTarget(
            name: "EtcdAPITests",
            dependencies: [
                "EtcdAPI", "EtcdProto", "KetchStore",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
                .product(name: "NIOHTTP2", package: "swift-nio-http2"),
                .product(name: "NIOHPACK", package: "swift-nio-http2"),
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
            ]
        ),
        // An in-memory kube-apiserver (KubeAPI) for the controllers' unit tests.
        .target(
            name: "KubeTestSupport",
            dependencies: ["KubeClient", "KubeCore"],
            path: "Tests/KubeTestSupport"
        ),
        .testTarget(
            name: "KubeClientTests",
            dependencies: ["KubeClient", "KubeCore", "KubeTestSupport"]
        ),
        .testTarget(
            name: "KetchControllersTests",
            dependencies: ["KetchControllers", "KubeClient", "KubeCore", "KubeTestSupport",
                           .product(name: "Logging", package: "swift-log")]
        ),
        // Test fixtures shared by the client-side unit tests: an in-process Ketch etcd.
        .target(
            name: "EtcdTestSupport",
            dependencies: [
                "EtcdAPI",
                "KetchStore",
                .product(name: "GRPCCore", package: "grpc-swift-2"),
                .product(name: "GRPCNIOTransportHTTP2", package: "grpc-swift-nio-transport"),
            ],
            path: "Tests/EtcdTestSupport"
        ),
        .testTarget(
            name: "EtcdClientTests",
            dependencies: [
                "EtcdClient",
                "EtcdTestSupport",
                "EtcdAPI",
                "EtcdProto",
                "KetchStore",
                .product(name: "GRPCCore", package: "grpc-swift-2"),
                .product(name: "GRPCNIOTransportHTTP2", package: "grpc-swift-nio-transport"),
            ]
        ),
        // KetchCtl's parser, printers and help; the server only for a few in-process runs.
        .testTarget(
            name: "KetchCtlTests",
            dependencies: [
                "KetchCtl",
                "EtcdTestSupport",
                "EtcdClient",
                "EtcdProto",
                "EtcdAPI",
                "KetchStore",
                .product(name: "GRPCCore", package: "grpc-swift-2"),
                .product(name: "GRPCNIOTransportHTTP2", package: "grpc-swift-nio-transport"),
            ],
            // etcdctl 3.5.1's own help texts, to compare the help renderer with.
            resources: [.copy("Fixtures")]
        ),
    ]
)
