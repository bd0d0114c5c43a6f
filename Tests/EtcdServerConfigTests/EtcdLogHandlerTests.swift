import Foundation
import Logging
import Testing
@testable import EtcdServerConfig

/// etcd's zap JSON lines.
@Suite struct EtcdLogHandlerTests {
    private func line(
        _ level: Logger.Level, _ message: String, metadata: Logger.Metadata? = nil, handlerMetadata: Logger.Metadata = [:]
    ) -> String {
        var handler = EtcdLogHandler(label: "etcdmain", level: .info)
        handler.metadata = handlerMetadata
        let event = LogEvent(
            level: level, message: "\(message)", metadata: metadata, source: "etcdmain",
            file: "ketch/Etcd/EtcdCommand.swift", function: "run()", line: 42)
        return handler.line(for: event, at: Date(timeIntervalSince1970: 1_700_000_000.25))
    }

    @Test func shapeOfALine() throws {
        let text = line(.warning, "failed to verify flags", metadata: ["error": "bad", "b": ["x", "y"]])
        #expect(text.hasSuffix("}\n"))
        #expect(text.hasPrefix(#"{"level":"warn","ts":"2023-11-14T22:13:20.250"#))
        #expect(text.hasSuffix(#","caller":"etcdmain/EtcdCommand.swift:42","msg":"failed to verify flags","b":["x","y"],"error":"bad"}"# + "\n"))
        let object = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        #expect(object["msg"] as? String == "failed to verify flags")
    }

    @Test func levelsAsZapNamesThem() {
        let names: [(Logger.Level, String)] = [
            (.trace, "debug"), (.debug, "debug"), (.info, "info"), (.notice, "info"), (.warning, "warn"),
            (.error, "error"), (.critical, "fatal"),
        ]
        for (level, name) in names {
            #expect(line(level, "m").hasPrefix("{\"level\":\"\(name)\","), "\(level)")
        }
    }

    @Test func eventFieldsOverrideTheHandlersAndNestedValuesAreSorted() {
        let text = line(.info, "m", metadata: ["k": "event", "d": ["z": "1", "a": "2"]], handlerMetadata: ["k": "handler", "h": "kept"])
        #expect(text.contains(#""d":{"a":"2","z":"1"},"h":"kept","k":"event"}"#))
    }

    @Test func stringsAreEscapedAsJSON() {
        let text = line(.info, "quote \" backslash \\ newline \n tab \t bell \u{07} <html> é")
        #expect(text.contains(#""msg":"quote \" backslash \\ newline \n tab \t bell \u0007 <html> é""#))
    }

    @Test func etcdLogLevelNames() {
        #expect(Logger.Level(etcdName: "debug") == .debug)
        #expect(Logger.Level(etcdName: "info") == .info)
        #expect(Logger.Level(etcdName: "WARN") == .warning)
        #expect(Logger.Level(etcdName: "error") == .error)
        #expect(Logger.Level(etcdName: "panic") == .critical)
        #expect(Logger.Level(etcdName: "fatal") == .critical)
        #expect(Logger.Level(etcdName: "warning") == nil)
        #expect(Logger.Level(etcdName: "verbose") == nil)
    }
}
