import KubeCore
import Foundation
import Testing
import Yams
@testable import KetchBootstrap

@Suite struct TemplateTests {
    private let values: TemplateValues = [
        "NAME": .string("etcd"), "PORT": .integer(2379), "FLAG": .absent, "LIST": .strings(["a", "b"]),
        "TRUE": .string("true"), "EMPTY": .string(""),
    ]

    @Test func yamlKeepsTypesAndDropsAbsent() throws {
        let text = """
        name: ${NAME}
        port: ${PORT}
        url: https://host:${PORT}
        flag: ${FLAG}
        list: ${LIST}
        text: ${TRUE}
        empty: ${EMPTY}
        args:
        - --a=${NAME}
        - --b=${FLAG}
        - --c
        """
        let out = try YAMLTemplate.serialize(try YAMLTemplate.render(text, name: "t", values: values))
        #expect(out == "name: etcd\nport: 2379\nurl: https://host:2379\nlist:\n- a\n- b\ntext: 'true'\nempty: ''\nargs:\n- --a=etcd\n- --c\n")
        let back = try #require(try Yams.compose(yaml: out))
        #expect(back["text"]?.string == "true" && back["text"]?.bool == nil)
        #expect(back["port"]?.int == 2379)
    }

    @Test func jsonKeepsTypesAndDropsAbsent() throws {
        let json = try JSONValue(parsing: Data(#"{"a":"${PORT}","b":"x-${NAME}","c":"${FLAG}","d":["${FLAG}","${NAME}"],"e":"${LIST}","f":null,"g":true,"h":1.5,"i":0}"#.utf8))
        let out = try JSONTemplate.render(json, name: "t", values: values)
        #expect(String(decoding: try out.encoded(), as: UTF8.self) == #"{"a":2379,"b":"x-etcd","d":["etcd"],"e":["a","b"],"f":null,"g":true,"h":1.5,"i":0}"#)
    }

    @Test func unknownPlaceholderIsAnError() {
        #expect(throws: BootstrapError.unknownPlaceholder(name: "NOPE", template: "t")) {
            try YAMLTemplate.render("a: ${NOPE}", name: "t", values: values)
        }
        #expect(throws: BootstrapError.self) {
            try YAMLTemplate.render("a: x${LIST}", name: "t", values: values)
        }
    }

    @Test func bundledTemplatesUseOnlyKnownPlaceholders() throws {
        let dir = try TestDirectory()
        var c = testConfiguration(dir)
        c.podCIDR = "10.244.0.0/16"
        let writer = StaticPodManifestWriter(controlPlane: try c.resolved())
        for component in ControlPlaneComponent.allCases {
            #expect(!(try writer.render(component)).contains("$"))
        }
    }
}
