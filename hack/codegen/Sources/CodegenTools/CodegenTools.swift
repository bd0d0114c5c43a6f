// Intentionally empty: this package exists only to build protoc-gen-swift and
// protoc-gen-grpc-swift-2 at pinned versions (see hack/codegen.sh).
