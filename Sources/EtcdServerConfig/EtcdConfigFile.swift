import Foundation
import Yams

/// etcd's `--config-file`: a YAML mapping with the flags' names as keys, except that TLS
/// settings live in `client-transport-security` and `peer-transport-security` blocks.
///
/// Read as etcd 3.5 reads it (YAML → JSON → Go struct): keys match case-insensitively, unknown
/// keys are ignored, `null` leaves a default alone, and a value of the wrong type is an error —
/// here one that names the file, the key and the line.
enum EtcdConfigFile {
    /// A config file that cannot be used.
    struct Invalid: Error, CustomStringConvertible {
        var description: String
    }

    /// The config file's TLS block keys and the flags they stand for.
    private static let clientSecurityKeys = [
        "cert-file": "cert-file", "key-file": "key-file", "trusted-ca-file": "trusted-ca-file",
        "client-cert-auth": "client-cert-auth", "auto-tls": "auto-tls", "allowed-hostname": "client-cert-allowed-hostname",
    ]
    private static let peerSecurityKeys = [
        "cert-file": "peer-cert-file", "key-file": "peer-key-file", "trusted-ca-file": "peer-trusted-ca-file",
        "client-cert-auth": "peer-client-cert-auth", "auto-tls": "peer-auto-tls", "allowed-cn": "peer-cert-allowed-cn",
        "allowed-hostname": "peer-cert-allowed-hostname",
    ]
    /// Keys of the TLS blocks that hold client-side files for proxies; nothing to do for a server.
    private static let unusedSecurityKeys: Set<String> = ["client-cert-file", "client-key-file"]

    /// Applies the file at `path` to `options`; returns the settings given that have no effect.
    static func apply(path: String, to options: inout EtcdServerOptions) throws -> [String] {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw Invalid(description: "open \(path): no such file or directory")
        }
        let root: Node?
        do {
            root = try Yams.compose(yaml: text)
        } catch {
            throw Invalid(description: "config file \(path): invalid YAML: \(error)")
        }
        guard let root else { return [] }
        guard case .mapping(let mapping) = root else {
            throw Invalid(description: "config file \(path): expected a mapping of etcd settings at the top level")
        }
        var reader = Reader(path: path, options: options)
        for (keyNode, value) in mapping {
            let key = (keyNode.string ?? "").lowercased()
            switch key {
            case "client-transport-security": try reader.block(key, value, keys: clientSecurityKeys)
            case "peer-transport-security": try reader.block(key, value, keys: peerSecurityKeys)
            case "config-file": continue
            default:
                if let setting = EtcdSetting.all[key] { try reader.set(setting, key: key, value) }
            }
        }
        options = reader.options
        return reader.ignored
    }

    private struct Reader {
        let path: String
        var options: EtcdServerOptions
        var ignored: [String] = []

        mutating func block(_ name: String, _ node: Node, keys: [String: String]) throws {
            if case .scalar = node, node.tagName == .null { return }
            guard case .mapping(let mapping) = node else {
                throw invalid(name, node, expected: "a mapping of TLS settings")
            }
            for (keyNode, value) in mapping {
                let key = (keyNode.string ?? "").lowercased()
                guard !EtcdConfigFile.unusedSecurityKeys.contains(key), let flag = keys[key], let setting = EtcdSetting.all[flag] else {
                    continue
                }
                if let reason = EtcdFlagCompatibility.refused[flag] {
                    throw EtcdConfigFile.Invalid(description: "config file \(path): key \"\(name).\(key)\": \(reason)")
                }
                try set(setting, key: "\(name).\(key)", value)
            }
        }

        mutating func set(_ setting: EtcdSetting, key: String, _ node: Node) throws {
            if case .scalar = node, node.tagName == .null { return }
            if let reason = EtcdFlagCompatibility.refused[setting.name] {
                throw EtcdConfigFile.Invalid(description: "config file \(path): key \"\(key)\": \(reason)")
            }
            // Settings Ketch does not act on are not type-checked either (etcd's own types for them vary:
            // durations, lists such as `log-outputs: [stderr]`, numbers).
            guard let apply = setting.apply else {
                ignored.append(key)
                return
            }
            apply(&options, try convert(node, to: setting, key: key))
        }

        /// The YAML value as the Go type etcd declares, or an error naming what was expected.
        private func convert(_ node: Node, to setting: EtcdSetting, key: String) throws -> EtcdSetting.Value {
            let tag = node.tagName
            let kind = setting.kind
            switch kind {
            case .string:
                if case .scalar(let scalar) = node, tag == .str {
                    return .string(scalar.string)
                }
                throw invalid(key, node, expected: "a string")
            case .stringList:
                // etcd's URL lists are comma-separated strings; a YAML list is accepted too.
                if case .scalar(let scalar) = node, tag == .str { return .strings(EtcdURLList.split(scalar.string)) }
                if case .sequence(let items) = node, items.allSatisfy({ $0.tagName == .str }) {
                    return .strings(items.compactMap(\.string))
                }
                throw invalid(key, node, expected: "a string (comma-separated list)")
            case .bool:
                if tag == .bool, let value = node.bool { return .bool(value) }
                throw invalid(key, node, expected: "true or false")
            case .int, .int64, .uint:
                let number: Int64?
                if tag == .int, let value = node.int { number = Int64(value) }
                else if tag == .float, let value = node.float, value == value.rounded(), abs(value) < 9.2e18 { number = Int64(value) }
                else { number = nil }
                guard let number, kind != .uint || number >= 0 else {
                    throw invalid(key, node, expected: kind == .uint ? "a non-negative integer" : "an integer")
                }
                return .int(number)
            }
        }

        private func invalid(_ key: String, _ node: Node, expected: String) -> EtcdConfigFile.Invalid {
            let line = node.mark.map { ", line \($0.line)" } ?? ""
            let shown: String
            switch node {
            case .scalar(let scalar): shown = node.tagName == .str ? "\"\(scalar.string)\"" : scalar.string
            case .mapping: shown = "a mapping"
            case .sequence: shown = "a list"
            case .alias: shown = "an alias"
            }
            return EtcdConfigFile.Invalid(
                description: "config file \(path)\(line): key \"\(key)\": expected \(expected), got \(shown)")
        }
    }
}

extension Node {
    /// The resolved YAML tag (`!!str`, `!!int`, …) of this node.
    fileprivate var tagName: Tag.Name { Tag.Name(rawValue: tag.description) }
}
