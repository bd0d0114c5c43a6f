import Foundation
import Testing
@testable import KubeCore

/// Parses JSON text written in a test.
private func json(_ text: String) throws -> JSONValue {
    try JSONValue(parsing: Data(text.utf8))
}

/// Applies a strategic merge patch given as text.
private func smp(_ patch: String, to doc: JSONValue) throws -> JSONValue {
    try StrategicMergePatch.apply(try json(patch), to: doc)
}

/// The PatchError a failing patch throws.
private func failure(_ patch: String, to doc: JSONValue) throws -> PatchError {
    do {
        _ = try smp(patch, to: doc)
    } catch let error as PatchError {
        return error
    }
    Issue.record("patch applied but should have failed: \(patch)")
    return PatchError("")
}

/// A Deployment with two containers, the way it sits in etcd.
private func deployment() throws -> JSONValue {
    try json("""
    {"apiVersion":"apps/v1","kind":"Deployment",
     "metadata":{"name":"shop","namespace":"default","labels":{"app":"shop","team":"a"},
                 "finalizers":["example.com/a","example.com/b"]},
     "spec":{"replicas":2,"selector":{"matchLabels":{"app":"shop"}},
       "strategy":{"type":"RollingUpdate","rollingUpdate":{"maxSurge":"25%","maxUnavailable":"25%"}},
       "template":{"metadata":{"labels":{"app":"shop"}},
         "spec":{"containers":[
           {"name":"web","image":"nginx:1.25","args":["--a","--b"],
            "env":[{"name":"A","value":"1"},{"name":"B","value":"2"}],
            "ports":[{"containerPort":80,"protocol":"TCP"},{"containerPort":443,"protocol":"TCP"}],
            "volumeMounts":[{"name":"data","mountPath":"/data"}]},
           {"name":"sidecar","image":"envoy:1.29","resources":{"limits":{"cpu":"100m"}}}],
          "tolerations":[{"key":"a","operator":"Exists"}],
          "volumes":[{"name":"data","emptyDir":{}}]}}}}
    """)
}

/// The container at `index` of the pod template.
private func container(_ doc: JSONValue, _ index: Int) -> JSONValue? {
    doc[path: ["spec", "template", "spec", "containers"]]?.array?[index]
}

/// The names of the pod template's containers, in order.
private func containerNames(_ doc: JSONValue) -> [String]? {
    doc[path: ["spec", "template", "spec", "containers"]]?.array?.compactMap { $0["name"]?.string }
}

@Suite("Strategic merge patch")
struct StrategicMergePatchTests {
    @Test("kubectl set image: one container's image changes, the rest of the list stays")
    func changeImageByName() throws {
        let result = try smp(#"{"spec":{"template":{"spec":{"containers":[{"name":"sidecar","image":"envoy:1.30"}]}}}}"#,
                             to: try deployment())
        #expect(containerNames(result) == ["web", "sidecar"])
        #expect(container(result, 1)?["image"] == .string("envoy:1.30"))
        // The sidecar's other fields survive the merge, and web is untouched.
        #expect(container(result, 1)?[path: ["resources", "limits", "cpu"]] == .string("100m"))
        #expect(container(result, 0) == container(try deployment(), 0))
        #expect(result[path: ["spec", "replicas"]] == .integer(2))
    }

    @Test("kubectl set env: a new variable merges by name and goes ahead of the live ones")
    func addEnvVar() throws {
        let result = try smp("""
        {"spec":{"template":{"spec":{"containers":[{"name":"web",
          "env":[{"name":"C","value":"3"},{"name":"B","value":"two"}]}]}}}}
        """, to: try deployment())
        let env = container(result, 0)?["env"]
        // apimachinery keeps the patch's order for the items it names and slots a live-only
        // item in ahead only when it preceded the next patch item in the live list; C is new,
        // so nothing precedes it and it leads.
        #expect(env == (try json(#"[{"name":"C","value":"3"},{"name":"A","value":"1"},{"name":"B","value":"two"}]"#)))
    }

    @Test("a new item in a merged list comes first, as kube-apiserver does it")
    func newItemsFirst() throws {
        let result = try smp(#"{"spec":{"template":{"spec":{"containers":[{"name":"debug","image":"busybox"}]}}}}"#,
                             to: try deployment())
        #expect(containerNames(result) == ["debug", "web", "sidecar"])
    }

    @Test("$patch: delete removes a container by name")
    func deleteContainer() throws {
        let result = try smp(#"{"spec":{"template":{"spec":{"containers":[{"name":"sidecar","$patch":"delete"}]}}}}"#,
                             to: try deployment())
        #expect(containerNames(result) == ["web"])
    }

    @Test("kubectl apply: $setElementOrder fixes the order, deletions and changes together")
    func setElementOrder() throws {
        let result = try smp("""
        {"spec":{"template":{"spec":{
          "$setElementOrder/containers":[{"name":"sidecar"},{"name":"web"}],
          "containers":[{"name":"web","image":"nginx:1.27",
            "$setElementOrder/env":[{"name":"B"}],
            "env":[{"name":"A","$patch":"delete"}]}]}}}}
        """, to: try deployment())
        #expect(containerNames(result) == ["sidecar", "web"])
        #expect(container(result, 1)?["image"] == .string("nginx:1.27"))
        #expect(container(result, 1)?["env"] == (try json(#"[{"name":"B","value":"2"}]"#)))
    }

    @Test("$setElementOrder: items only the server knows keep their live position")
    func setElementOrderWithServerOnlyItems() throws {
        let doc = try json(#"{"spec":{"containers":[{"name":"a"},{"name":"injected"},{"name":"b"}]}}"#)
        let result = try smp(#"{"spec":{"$setElementOrder/containers":[{"name":"b"},{"name":"a"}]}}"#, to: doc)
        #expect(result[path: ["spec", "containers"]] == (try json(#"[{"name":"injected"},{"name":"b"},{"name":"a"}]"#)))
    }

    @Test("a patch list that contradicts $setElementOrder is rejected")
    func setElementOrderMismatch() throws {
        let error = try failure("""
        {"spec":{"$setElementOrder/containers":[{"name":"a"}],"containers":[{"name":"b","image":"x"}]}}
        """, to: try json(#"{"spec":{"containers":[{"name":"a"}]}}"#))
        #expect(error.message.contains("doesn't match $setElementOrder list"))
    }

    @Test("labels: null deletes, new keys add, others stay")
    func labels() throws {
        let result = try smp(#"{"metadata":{"labels":{"team":null,"tier":"web"},"annotations":{"note":"x"}}}"#,
                             to: try deployment())
        #expect(result[path: ["metadata", "labels"]] == (try json(#"{"app":"shop","tier":"web"}"#)))
        #expect(result[path: ["metadata", "annotations", "note"]] == .string("x"))
        // A null for a member that does not exist is dropped, not stored.
        let again = try smp(#"{"metadata":{"annotations":{"gone":null}}}"#, to: try deployment())
        #expect(again[path: ["metadata", "annotations"]] == .object([:]))
    }

    @Test("ConfigMap data merges like any map; $patch: replace replaces it")
    func configMapData() throws {
        let doc = try json(#"{"kind":"ConfigMap","data":{"a":"1","b":"2"}}"#)
        #expect(try smp(#"{"data":{"b":"3","c":"4"}}"#, to: doc)["data"]
            == (try json(#"{"a":"1","b":"3","c":"4"}"#)))
        #expect(try smp(#"{"data":{"$patch":"replace","c":"4"}}"#, to: doc)["data"]
            == (try json(#"{"c":"4"}"#)))
        #expect(try smp(#"{"data":{"$patch":"delete"}}"#, to: doc)["data"] == .object([:]))
    }

    @Test("finalizers merge as a set; $deleteFromPrimitiveList removes")
    func finalizers() throws {
        let result = try smp("""
        {"metadata":{"finalizers":["example.com/c","example.com/a"],
                     "$deleteFromPrimitiveList/finalizers":["example.com/b"]}}
        """, to: try deployment())
        #expect(result[path: ["metadata", "finalizers"]] == (try json(#"["example.com/c","example.com/a"]"#)))
        let added = try smp(#"{"metadata":{"finalizers":["example.com/z"]}}"#, to: try deployment())
        #expect(added[path: ["metadata", "finalizers"]] == (try json(#"["example.com/z","example.com/a","example.com/b"]"#)))
    }

    @Test("lists without a merge key are replaced: args, tolerations")
    func atomicLists() throws {
        let result = try smp("""
        {"spec":{"template":{"spec":{"tolerations":[{"key":"b","operator":"Exists"}],
          "containers":[{"name":"web","args":["--c"]}]}}}}
        """, to: try deployment())
        #expect(result[path: ["spec", "template", "spec", "tolerations"]] == (try json(#"[{"key":"b","operator":"Exists"}]"#)))
        #expect(container(result, 0)?["args"] == (try json(#"["--c"]"#)))
    }

    @Test("a $patch: replace list item replaces the whole list")
    func replaceList() throws {
        let result = try smp("""
        {"spec":{"template":{"spec":{"containers":[{"$patch":"replace"},{"name":"only","image":"x"}]}}}}
        """, to: try deployment())
        #expect(result[path: ["spec", "template", "spec", "containers"]] == (try json(#"[{"name":"only","image":"x"}]"#)))
    }

    @Test("$retainKeys drops members not listed: switching to the Recreate strategy")
    func retainKeys() throws {
        let result = try smp(#"{"spec":{"strategy":{"$retainKeys":["type"],"type":"Recreate"}}}"#, to: try deployment())
        #expect(result[path: ["spec", "strategy"]] == (try json(#"{"type":"Recreate"}"#)))
        let error = try failure(#"{"spec":{"strategy":{"$retainKeys":["type"],"rollingUpdate":{}}}}"#, to: try deployment())
        #expect(error.message == "invalid patch format of retainKeys")
        #expect(error.code == 400)
    }

    @Test("container ports merge by containerPort (number forms match), volumeMounts by mountPath")
    func containerPortsAndMounts() throws {
        let result = try smp("""
        {"spec":{"template":{"spec":{"containers":[{"name":"web",
          "ports":[{"containerPort":443.0,"name":"https"}],
          "volumeMounts":[{"mountPath":"/data","readOnly":true}]}]}}}}
        """, to: try deployment())
        let ports = container(result, 0)?["ports"]?.array
        #expect(ports?.count == 2)
        #expect(ports?[1]["name"] == .string("https"))
        #expect(container(result, 0)?["volumeMounts"] == (try json(#"[{"name":"data","mountPath":"/data","readOnly":true}]"#)))
    }

    @Test("Service ports merge by port; status conditions by type; ownerReferences by uid")
    func otherMergeKeys() throws {
        let service = try json("""
        {"kind":"Service","metadata":{"ownerReferences":[{"uid":"u1","name":"a"}]},
         "spec":{"ports":[{"port":80,"targetPort":8080},{"port":443,"targetPort":8443}]},
         "status":{"conditions":[{"type":"Ready","status":"False"},{"type":"Other","status":"True"}]}}
        """)
        let result = try smp("""
        {"metadata":{"ownerReferences":[{"uid":"u1","name":"b"}]},
         "spec":{"ports":[{"port":80,"targetPort":9090}]},
         "status":{"conditions":[{"type":"Ready","status":"True"}]}}
        """, to: service)
        #expect(result[path: ["spec", "ports"]] == (try json(#"[{"port":80,"targetPort":9090},{"port":443,"targetPort":8443}]"#)))
        #expect(result[path: ["status", "conditions"]] == (try json(#"[{"type":"Ready","status":"True"},{"type":"Other","status":"True"}]"#)))
        #expect(result[path: ["metadata", "ownerReferences"]] == (try json(#"[{"uid":"u1","name":"b"}]"#)))
    }

    @Test("new values have their nulls and directives processed, not stored")
    func newValuesNormalized() throws {
        let result = try smp("""
        {"spec":{"template":{"spec":{"initContainers":[{"name":"init","image":"busybox","command":null}],
          "nodeSelector":{"disk":"ssd","gone":null}}}}}
        """, to: try deployment())
        #expect(result[path: ["spec", "template", "spec", "initContainers"]] == (try json(#"[{"name":"init","image":"busybox"}]"#)))
        #expect(result[path: ["spec", "template", "spec", "nodeSelector"]] == (try json(#"{"disk":"ssd"}"#)))
    }

    @Test("errors carry apimachinery's messages")
    func errors() throws {
        let missingKey = try failure(#"{"spec":{"template":{"spec":{"containers":[{"image":"x"}]}}}}"#, to: try deployment())
        #expect(missingKey.message == "map: map[image:x] does not contain declared merge key: name")
        let mergeDirective = try failure(#"{"spec":{"template":{"spec":{"containers":[{"name":"web","$patch":"merge"}]}}}}"#,
                                         to: try deployment())
        #expect(mergeDirective.message == "merging lists cannot yet be specified in the patch")
        let badType = try failure(#"{"metadata":{"$patch":"frob"}}"#, to: try deployment())
        #expect(badType.message == "unknown patch type: frob in map: map[$patch:frob]")
        let notObject = try failure("[1]", to: try deployment())
        #expect(notObject.code == 400)
        let lists = try failure(#"{"metadata":{"finalizers":[["a"]]}}"#, to: try deployment())
        #expect(lists.message == "lists of lists are not supported")
    }
}
