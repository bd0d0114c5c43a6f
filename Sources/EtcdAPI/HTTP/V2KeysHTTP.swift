import EtcdV2
import Foundation
import NIOHTTP1

/// etcd's v2 HTTP API (`--enable-v2`) over the v3 key space: `/v2/keys/...` (GET, PUT, POST,
/// DELETE with etcd 3.4's parameters, answers and error codes), `/v2/members`, `/v2/machines`
/// and `/v2/stats/self`, as etcdctl with `ETCDCTL_API=2` uses them. Watches (`?wait=true`) and
/// TTLs are not supported. See ``V2Keys`` for how directories map onto v3 keys.
public struct V2KeysServer: Sendable {
    let keys: V2Keys
    let identity: MemberIdentity
    let context: EtcdServerContext
    let startTime = Date()

    public init(context: EtcdServerContext) {
        keys = V2Keys(backend: V2ServiceBackend(context: context))
        identity = context.identity
        self.context = context
    }

    private var clusterIDHeader: (String, String) { ("X-Etcd-Cluster-Id", String(identity.clusterID, radix: 16)) }

    func respond(method: HTTPMethod, uri: String, body: [UInt8]) async -> HTTPReply {
        let parts = uri.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)
        let rawPath = String(parts.first ?? "")
        let path = rawPath.removingPercentEncoding ?? rawPath
        var form = Self.parseForm(parts.count > 1 ? String(parts[1]) : "")
        if method == .PUT || method == .POST {
            // Go's FormValue: body values come before the query's.
            for (k, v) in Self.parseForm(String(decoding: body, as: UTF8.self)) { form[k] = v }
        }
        if path == "/v2/keys" || path.hasPrefix("/v2/keys/") {
            return await keysRequest(method: method, key: String(path.dropFirst("/v2/keys".count)), form: form)
        }
        switch path {
        case "/v2/members", "/v2/members/":
            guard method == .GET || method == .HEAD else { return .methodNotAllowed }
            let member = "{\"id\":" + V2JSON.string(identity.memberIDHex) + ",\"name\":" + V2JSON.string(identity.name)
                + ",\"peerURLs\":[" + identity.peerURLs.map(V2JSON.string).joined(separator: ",")
                + "],\"clientURLs\":[" + identity.clientURLs.map(V2JSON.string).joined(separator: ",") + "]}"
            return json(.ok, "{\"members\":[" + member + "]}\n", extra: [clusterIDHeader])
        case "/v2/members/leader":
            let member = "{\"id\":" + V2JSON.string(identity.memberIDHex) + ",\"name\":" + V2JSON.string(identity.name)
                + ",\"peerURLs\":[" + identity.peerURLs.map(V2JSON.string).joined(separator: ",")
                + "],\"clientURLs\":[" + identity.clientURLs.map(V2JSON.string).joined(separator: ",") + "]}"
            return json(.ok, member + "\n", extra: [clusterIDHeader])
        case "/v2/machines":
            return HTTPReply(status: .ok, body: identity.clientURLs.joined(separator: ", "))
        case "/v2/stats/self":
            let formatter = ISO8601DateFormatter()
            formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
            let started = V2JSON.string(formatter.string(from: startTime))
            let uptime = V2JSON.string(String(format: "%.9fs", Date().timeIntervalSince(startTime)))
            let id = V2JSON.string(identity.memberIDHex)
            return json(.ok, "{\"name\":\(V2JSON.string(identity.name)),\"id\":\(id),\"state\":\"StateLeader\",\"startTime\":\(started),"
                + "\"leaderInfo\":{\"leader\":\(id),\"uptime\":\(uptime),\"startTime\":\(started)},"
                + "\"recvAppendRequestCnt\":0,\"sendAppendRequestCnt\":0}\n")
        case "/v2/stats/leader":
            return json(.ok, "{\"leader\":" + V2JSON.string(identity.memberIDHex) + ",\"followers\":{}}\n")
        default:
            return .goError(.notFound, "404 page not found")
        }
    }

    private func json(_ status: HTTPResponseStatus, _ body: String, extra: [(String, String)] = []) -> HTTPReply {
        var reply = HTTPReply(status: status, explicitContentType: "application/json", body: body)
        reply.headers += extra
        return reply
    }

    private func error(_ e: V2Error) -> HTTPReply {
        json(HTTPResponseStatus(statusCode: e.httpStatus), V2JSON.serverError(e) + "\n",
             extra: [clusterIDHeader, ("X-Etcd-Index", String(e.index))])
    }

    private func keysRequest(method: HTTPMethod, key: String, form: [String: String]) async -> HTTPReply {
        do {
            func bool(_ name: String) throws -> Bool? {
                guard let v = form[name] else { return nil }
                switch v {
                case "1", "t", "T", "true", "TRUE", "True": return true
                case "0", "f", "F", "false", "FALSE", "False": return false
                default: throw V2Error(V2Error.invalidField, name == "prevExist" ? "invalid value for prevExist" : "invalid value for \"\(name)\"", index: 0)
                }
            }
            func index(_ name: String) throws -> Int64 {
                guard let v = form[name], !v.isEmpty else { return 0 }
                guard let n = UInt64(v) else { throw V2Error(203, "invalid value for \"\(name)\"", index: 0) }
                return Int64(clamping: n)
            }
            let recursive = try bool("recursive") ?? false
            _ = try bool("sorted")
            _ = try bool("quorum")
            let wait = try bool("wait") ?? false
            let dir = try bool("dir") ?? false
            let prevExist = try bool("prevExist")
            let prevIndex = try index("prevIndex")
            _ = try index("waitIndex")
            if let ttl = form["ttl"], !ttl.isEmpty {
                guard UInt64(ttl) != nil else { throw V2Error(202, "invalid value for \"ttl\"", index: 0) }
                throw V2Error(V2Error.invalidField, "ttl is not supported by ketch's v2 emulation", index: 0)
            }
            if let pv = form["prevValue"], pv.isEmpty {
                throw V2Error(201, "\"prevValue\" cannot be empty", index: 0)
            }
            let prevValue = form["prevValue"] ?? ""
            let value = form["value"] ?? ""
            let response: V2Response
            switch method {
            case .GET, .HEAD:
                if wait { throw V2Error(V2Error.invalidField, "wait is not supported by ketch's v2 emulation", index: 0) }
                response = try await keys.get(key, recursive: recursive)
            case .PUT:
                if dir && !value.isEmpty {
                    throw V2Error(V2Error.invalidField, "dir and value cannot both be set", index: 0)
                }
                response = try await keys.put(key, value: value, options: .init(dir: dir, prevExist: prevExist, prevValue: prevValue, prevIndex: prevIndex))
            case .POST:
                response = try await keys.createInOrder(key, value: value)
            case .DELETE:
                response = try await keys.delete(key, dir: dir, recursive: recursive, prevValue: prevValue, prevIndex: prevIndex)
            default:
                var reply = HTTPReply.goError(.methodNotAllowed, "Method Not Allowed")
                reply.headers.insert(("Allow", "HEAD,GET,PUT,POST,DELETE"), at: 0)
                return reply
            }
            let created = response.action == "create" || (response.action == "set" && response.prevNode == nil)
            return json(created ? .created : .ok, V2JSON.serverResponse(response) + "\n", extra: [
                clusterIDHeader, ("X-Etcd-Index", String(response.index)), ("X-Raft-Index", String(response.index)),
                ("X-Raft-Term", String(context.store.term)),
            ])
        } catch let e as V2Error {
            return error(e)
        } catch {
            return self.error(V2Error(V2Error.raftInternal, "\(error)", index: 0))
        }
    }

    /// `application/x-www-form-urlencoded` pairs (the first value of each name).
    static func parseForm(_ text: String) -> [String: String] {
        var form: [String: String] = [:]
        for pair in text.split(separator: "&") {
            let kv = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            func decode(_ s: Substring) -> String {
                let plus = s.replacingOccurrences(of: "+", with: " ")
                return plus.removingPercentEncoding ?? plus
            }
            let name = decode(kv[0])
            if form[name] == nil { form[name] = kv.count > 1 ? decode(kv[1]) : "" }
        }
        return form
    }
}
