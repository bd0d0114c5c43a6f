import EtcdProto
import Foundation
import GRPCCore
import NIOCore
import NIOEmbedded
import NIOHPACK
import NIOHTTP2
import SwiftProtobuf
import Testing
@testable import EtcdAPI
@testable import KetchStore

/// The unary fast path answers KV calls itself, with grpc-swift's framing and etcd's errors,
/// and hands everything else to grpc-swift untouched.
@Suite("Unary fast path")
struct UnaryFastPathTests {
    final class Fixture {
        let directory = NSTemporaryDirectory() + "ketch-fastpath-\(UUID().uuidString)"
        let store: MVCCStore
        /// One HTTP/2 stream: a stream carries one call, so each test call gets its own.
        private(set) var channel = NIOAsyncTestingChannel()
        private let routes: UnaryFastPathRoutes

        init() async throws {
            store = try MVCCStore(dataDirectory: directory)
            let identity = MemberIdentity(name: "n", peerURLs: ["http://127.0.0.1:2380"], clientURLs: [], clusterToken: "t")
            let context = EtcdServerContext(store: store, identity: identity, maxRequestBytes: 1_572_864)
            routes = UnaryFastPathRoutes(
                context: context, metrics: EtcdMetrics(context: context, quotaBackendBytes: 0), maxMessageBytes: 2_097_152)
            try await newStream()
        }

        func newStream() async throws {
            channel = NIOAsyncTestingChannel()
            try await channel.pipeline.addHandler(UnaryFastPathHandler(routes: routes))
            try await channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 2379))
        }

        deinit {
            store.close()
            try? FileManager.default.removeItem(atPath: directory)
        }

        /// Sends one call's frames, as a gRPC client does.
        func send(path: String, _ message: some SwiftProtobuf.Message, extraHeaders: [(String, String)] = [], compressedFlag: UInt8 = 0) async throws {
            for frame in try UnaryFastPathTests.request(path: path, message, extraHeaders: extraHeaders, compressedFlag: compressedFlag) {
                try await channel.writeInbound(frame)
            }
        }

        /// The next frames written back, waiting for a write to commit if need be.
        func response(frames count: Int) async throws -> [HTTP2Frame.FramePayload] {
            // A write's answer comes from the writer's thread through `execute` on the channel's
            // loop, which the testing loop runs only when told to.
            var frames: [HTTP2Frame.FramePayload] = []
            let deadline = ContinuousClock.now + .seconds(60)  // generous: a parallel unit run on 2 cores can starve the pool
            while frames.count < count, ContinuousClock.now < deadline {
                await channel.testingEventLoop.run()
                if let frame = try await channel.readOutbound(as: HTTP2Frame.FramePayload.self) {
                    frames.append(frame)
                } else {
                    try await Task.sleep(for: .milliseconds(5))
                }
            }
            try #require(frames.count == count, "expected \(count) frames, got \(frames.map(UnaryFastPathTests.summary))")
            return frames
        }
    }

    static func request(path: String, _ message: some SwiftProtobuf.Message, extraHeaders: [(String, String)] = [], compressedFlag: UInt8 = 0) throws -> [HTTP2Frame.FramePayload] {
        var headers: HPACKHeaders = [":method": "POST", ":scheme": "http", ":path": path, "content-type": "application/grpc", "te": "trailers"]
        for (name, value) in extraHeaders { headers.add(name: name, value: value) }
        let bytes: [UInt8] = try message.serializedBytes()
        var body = ByteBuffer()
        body.writeInteger(compressedFlag)
        body.writeInteger(UInt32(bytes.count))
        body.writeBytes(bytes)
        // Split the message over two DATA frames, then END_STREAM on an empty one, as clients may.
        let half = body.readableBytes / 2
        return [
            .headers(.init(headers: headers)),
            .data(.init(data: .byteBuffer(body.getSlice(at: 0, length: half)!))),
            .data(.init(data: .byteBuffer(body.getSlice(at: half, length: body.readableBytes - half)!))),
            .data(.init(data: .byteBuffer(ByteBuffer()), endStream: true)),
        ]
    }

    static func decode<M: SwiftProtobuf.Message>(_ frame: HTTP2Frame.FramePayload, as: M.Type) throws -> M {
        guard case .data(let d) = frame, case .byteBuffer(var b) = d.data else { throw RPCError(code: .internalError, message: "not data") }
        #expect(b.readInteger(as: UInt8.self) == 0)
        let length = Int(b.readInteger(as: UInt32.self)!)
        #expect(length == b.readableBytes)
        return try M(serializedBytes: Array(b.readableBytesView))
    }

    static func headers(_ frame: HTTP2Frame.FramePayload) -> (HPACKHeaders, endStream: Bool)? {
        guard case .headers(let h) = frame else { return nil }
        return (h.headers, h.endStream)
    }

    /// A frame as comparable text: its kind, headers or bytes, and END_STREAM.
    static func summary(_ frame: HTTP2Frame.FramePayload) -> String {
        switch frame {
        case .headers(let h): return "headers \(h.headers.map { "\($0.name)=\($0.value)" }) end=\(h.endStream)"
        case .data(let d):
            guard case .byteBuffer(let b) = d.data else { return "file region" }
            return "data \(Array(b.readableBytesView)) end=\(d.endStream)"
        default: return "other \(frame)"
        }
    }

    static func putRequest(_ key: String, _ value: String) -> Etcdserverpb_PutRequest {
        var r = Etcdserverpb_PutRequest()
        r.key = Data(key.utf8)
        r.value = Data(value.utf8)
        return r
    }

    @Test("a put and a get are answered with headers, one message and OK trailers")
    func putThenGet() async throws {
        let f = try await Fixture()
        try await f.send(path: "/etcdserverpb.KV/Put", Self.putRequest("k", "v"))
        let put = try await f.response(frames: 3)
        #expect(Self.headers(put[0])?.0.first(name: ":status") == "200")
        #expect(Self.headers(put[0])?.0.first(name: "content-type") == "application/grpc")
        #expect(try Self.decode(put[1], as: Etcdserverpb_PutResponse.self).header.revision == 2)
        #expect(Self.headers(put[2])?.0.first(name: "grpc-status") == "0" && Self.headers(put[2])?.endStream == true)
        #expect(try await f.channel.readInbound(as: HTTP2Frame.FramePayload.self) == nil)

        var get = Etcdserverpb_RangeRequest()
        get.key = Data("k".utf8)
        try await f.newStream()
        try await f.send(path: "/etcdserverpb.KV/Range", get)
        let range = try await f.response(frames: 3)
        let response = try Self.decode(range[1], as: Etcdserverpb_RangeResponse.self)
        #expect(response.kvs.map { String(decoding: $0.value, as: UTF8.self) } == ["v"] && response.count == 1)
    }

    @Test("a lease is granted and revoked on the fast path, and a second revoke is etcd's NotFound")
    func leases() async throws {
        let f = try await Fixture()
        var grant = Etcdserverpb_LeaseGrantRequest()
        grant.ttl = 60
        try await f.send(path: "/etcdserverpb.Lease/LeaseGrant", grant)
        let granted = try Self.decode(try await f.response(frames: 3)[1], as: Etcdserverpb_LeaseGrantResponse.self)
        #expect(granted.id != 0 && granted.ttl == 60)
        #expect(f.store.leaseInfo(id: granted.id) != nil)

        var revoke = Etcdserverpb_LeaseRevokeRequest()
        revoke.id = granted.id
        try await f.newStream()
        try await f.send(path: "/etcdserverpb.Lease/LeaseRevoke", revoke)
        _ = try Self.decode(try await f.response(frames: 3)[1], as: Etcdserverpb_LeaseRevokeResponse.self)
        #expect(f.store.leaseInfo(id: granted.id) == nil)

        try await f.newStream()
        try await f.send(path: "/etcdserverpb.Lease/LeaseRevoke", revoke)
        let (trailers, _) = try #require(Self.headers(try await f.response(frames: 1)[0]))
        #expect(trailers.first(name: "grpc-status") == String(RPCError.Code.notFound.rawValue))
        #expect(trailers.first(name: "grpc-message") == "etcdserver: requested lease not found")
    }

    @Test("store errors are trailers-only answers with etcd's code and message")
    func errors() async throws {
        let f = try await Fixture()
        var get = Etcdserverpb_RangeRequest()
        get.key = Data("k".utf8)
        get.revision = 99
        try await f.send(path: "/etcdserverpb.KV/Range", get)
        let answer = try await f.response(frames: 1)
        let (trailers, endStream) = try #require(Self.headers(answer[0]))
        #expect(endStream)
        #expect(trailers.first(name: ":status") == "200")
        #expect(trailers.first(name: "grpc-status") == String(RPCError.Code.outOfRange.rawValue))
        #expect(trailers.first(name: "grpc-message") == "etcdserver: mvcc: required revision is a future revision")
    }

    @Test("other methods, compressed messages and undecodable bodies go to grpc-swift unchanged",
          arguments: ["other method", "compressed", "encoding header", "garbage"])
    func handedOn(_ reason: String) async throws {
        let f = try await Fixture()
        let frames: [HTTP2Frame.FramePayload]
        switch reason {
        case "other method":
            frames = try Self.request(path: "/etcdserverpb.Maintenance/Status", Etcdserverpb_StatusRequest())
        case "compressed":
            frames = try Self.request(path: "/etcdserverpb.KV/Put", Self.putRequest("k", "v"), compressedFlag: 1)
        case "encoding header":
            frames = try Self.request(path: "/etcdserverpb.KV/Put", Self.putRequest("k", "v"), extraHeaders: [("grpc-encoding", "gzip")])
        default:
            var bad = ByteBuffer()
            bad.writeInteger(UInt8(0))
            bad.writeInteger(UInt32(3))
            bad.writeBytes([0xFF, 0xFF, 0xFF])
            frames = [
                .headers(.init(headers: [":method": "POST", ":path": "/etcdserverpb.KV/Put", "content-type": "application/grpc"])),
                .data(.init(data: .byteBuffer(bad), endStream: true)),
            ]
        }
        for frame in frames { try await f.channel.writeInbound(frame) }
        var passed: [HTTP2Frame.FramePayload] = []
        while let frame = try await f.channel.readInbound(as: HTTP2Frame.FramePayload.self) { passed.append(frame) }
        #expect(passed.map(Self.summary) == frames.map(Self.summary))
        #expect(try await f.channel.readOutbound(as: HTTP2Frame.FramePayload.self) == nil)
        #expect(f.store.currentRevision == 1)
    }
}
