import Foundation
import KubeCore
import Testing

/// The workload objects as kube-apiserver 1.33 stores them after defaulting and its create and
/// update strategies (apps/v1 and batch/v1 `SetDefaults_*`, the Job and DaemonSet strategies).
@Suite struct WorkloadDefaultsTests {
    private func json(_ text: String) throws -> JSONValue { try JSONValue(parsing: Data(text.utf8)) }

    private func create(_ text: String, _ type: ResourceType) throws -> JSONValue {
        ObjectDefaults.forCreate(try json(text), type, namespace: "default", fieldManager: "kubectl-create")
    }

    /// `kubectl create deployment web --image=nginx`'s body.
    private let deployment = #"""
    {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web","labels":{"app":"web"}},
     "spec":{"selector":{"matchLabels":{"app":"web"}},"template":{"metadata":{"labels":{"app":"web"}},
       "spec":{"containers":[{"name":"nginx","image":"nginx"}]}}}}
    """#

    @Test func deploymentAsKubectlReadsItBack() throws {
        let d = try create(deployment, BuiltinResources.deployments)
        let spec = try #require(d["spec"])
        #expect(spec["replicas"] == .integer(1))
        #expect(spec["revisionHistoryLimit"] == .integer(10))
        #expect(spec["progressDeadlineSeconds"] == .integer(600))
        #expect(spec["strategy"] == (try json(#"{"type":"RollingUpdate","rollingUpdate":{"maxSurge":"25%","maxUnavailable":"25%"}}"#)))
        let pod = try #require(spec["template"]?["spec"])
        #expect(pod["restartPolicy"] == .string("Always"))
        #expect(pod["dnsPolicy"] == .string("ClusterFirst"))
        #expect(pod["schedulerName"] == .string("default-scheduler"))
        #expect(pod["terminationGracePeriodSeconds"] == .integer(30))
        #expect(pod["securityContext"] == .object([:]))
        // Pod-only defaults stay out of templates.
        #expect(pod["enableServiceLinks"] == nil && pod["tolerations"] == nil && pod["priority"] == nil)
        let container = try #require(pod["containers"]?.array?.first)
        #expect(container["imagePullPolicy"] == .string("Always"))
        #expect(container["terminationMessagePath"] == .string("/dev/termination-log"))
        #expect(container["terminationMessagePolicy"] == .string("File"))
        #expect(container["resources"] == .object([:]))
        #expect(d["status"] == .object([:]))
        #expect(d["metadata"]?["generation"] == .integer(1))
    }

    @Test func strategiesKeepWhatIsSetAndRecreateHasNoRollingUpdate() throws {
        let recreate = try create(#"{"metadata":{"name":"r"},"spec":{"strategy":{"type":"Recreate"},"replicas":0}}"#,
                                  BuiltinResources.deployments)
        #expect(recreate["spec"]?["strategy"] == (try json(#"{"type":"Recreate"}"#)))
        #expect(recreate["spec"]?["replicas"] == .integer(0))
        let partial = try create(#"{"metadata":{"name":"p"},"spec":{"strategy":{"rollingUpdate":{"maxSurge":2}}}}"#,
                                 BuiltinResources.deployments)
        #expect(partial["spec"]?["strategy"] == (try json(#"{"type":"RollingUpdate","rollingUpdate":{"maxSurge":2,"maxUnavailable":"25%"}}"#)))
    }

    @Test func deploymentGenerationFollowsSpecAndAnnotationsNotDefaults() throws {
        let stored = try create(deployment, BuiltinResources.deployments)
        // The same manifest again (no defaults in it) is no change.
        var same = try json(deployment)
        same["metadata"]?["resourceVersion"] = .string("5")
        #expect(ObjectDefaults.forUpdate(same, existing: stored, BuiltinResources.deployments, subresource: nil)["metadata"]?["generation"] == .integer(1))
        var annotated = stored
        annotated["metadata"]?["annotations"] = .object(["kubernetes.io/change-cause": .string("x")])
        #expect(ObjectDefaults.forUpdate(annotated, existing: stored, BuiltinResources.deployments, subresource: nil)["metadata"]?["generation"] == .integer(2))
        // Through status, annotations land without a new generation; labels and spec stay.
        var status = annotated
        status["metadata"]?["labels"] = .object(["x": .string("y")])
        status["spec"]?["replicas"] = .integer(9)
        status["status"] = .object(["observedGeneration": .integer(1)])
        let written = ObjectDefaults.forUpdate(status, existing: stored, BuiltinResources.deployments, subresource: "status")
        #expect(written["metadata"]?["annotations"]?["kubernetes.io/change-cause"] == .string("x"))
        #expect(written["metadata"]?["generation"] == .integer(1))
        #expect(written["metadata"]?["labels"] == stored["metadata"]?["labels"])
        #expect(written["spec"] == stored["spec"] && written["status"]?["observedGeneration"] == .integer(1))
    }

    @Test func statefulSetDaemonSetReplicaSetAndReplicationController() throws {
        let sts = try create(#"""
        {"metadata":{"name":"db"},"spec":{"serviceName":"db","selector":{"matchLabels":{"a":"b"}},
         "template":{"metadata":{"labels":{"a":"b"}},"spec":{"containers":[{"name":"c","image":"pg:16"}]}},
         "volumeClaimTemplates":[{"metadata":{"name":"data"},"spec":{"accessModes":["ReadWriteOnce"],"resources":{"requests":{"storage":"1Gi"}}}}]}}
        """#, BuiltinResources.statefulSets)
        let s = try #require(sts["spec"])
        #expect(s["podManagementPolicy"] == .string("OrderedReady"))
        #expect(s["updateStrategy"] == (try json(#"{"type":"RollingUpdate","rollingUpdate":{"partition":0}}"#)))
        #expect(s["persistentVolumeClaimRetentionPolicy"] == (try json(#"{"whenDeleted":"Retain","whenScaled":"Retain"}"#)))
        #expect(s["replicas"] == .integer(1) && s["revisionHistoryLimit"] == .integer(10))
        let claim = try #require(s["volumeClaimTemplates"]?.array?.first)
        #expect(claim["apiVersion"] == .string("v1") && claim["kind"] == .string("PersistentVolumeClaim"))
        #expect(claim["spec"]?["volumeMode"] == .string("Filesystem") && claim["status"]?["phase"] == .string("Pending"))
        #expect(s["template"]?["spec"]?["containers"]?.array?.first?["imagePullPolicy"] == .string("IfNotPresent"))
        #expect(sts["status"] == (try json(#"{"replicas":0,"availableReplicas":0}"#)))
        // An explicit RollingUpdate without a block gets no partition.
        let explicit = try create(#"{"metadata":{"name":"e"},"spec":{"updateStrategy":{"type":"RollingUpdate"}}}"#, BuiltinResources.statefulSets)
        #expect(explicit["spec"]?["updateStrategy"] == (try json(#"{"type":"RollingUpdate"}"#)))

        let ds = try create(#"{"metadata":{"name":"agent"},"spec":{"template":{"spec":{"containers":[{"name":"c","image":"busybox:1.36"}]}}}}"#,
                            BuiltinResources.daemonSets)
        #expect(ds["spec"]?["updateStrategy"] == (try json(#"{"type":"RollingUpdate","rollingUpdate":{"maxUnavailable":1,"maxSurge":0}}"#)))
        #expect(ds["spec"]?["revisionHistoryLimit"] == .integer(10))
        #expect(ds["spec"]?["replicas"] == nil)
        #expect(ds["metadata"]?["annotations"]?["deprecated.daemonset.template.generation"] == .string("1"))
        #expect(ds["status"] == (try json(#"{"currentNumberScheduled":0,"desiredNumberScheduled":0,"numberMisscheduled":0,"numberReady":0}"#)))

        let rs = try create(#"{"metadata":{"name":"rs"},"spec":{}}"#, BuiltinResources.replicaSets)
        #expect(rs["spec"]?["replicas"] == .integer(1) && rs["status"] == .object(["replicas": .integer(0)]))

        let rc = try create(#"{"metadata":{"name":"rc"},"spec":{"template":{"metadata":{"labels":{"app":"x"}},"spec":{"containers":[{"name":"c","image":"x"}]}}}}"#,
                            BuiltinResources.replicationControllers)
        #expect(rc["spec"]?["replicas"] == .integer(1))
        #expect(rc["spec"]?["selector"] == .object(["app": .string("x")]))
        #expect(rc["metadata"]?["labels"] == .object(["app": .string("x")]))
    }

    @Test func daemonSetTemplateGenerationMovesWithTheTemplate() throws {
        let type = BuiltinResources.daemonSets
        let stored = try create(#"{"metadata":{"name":"a","annotations":{"deprecated.daemonset.template.generation":"4"}},"spec":{"template":{"spec":{"containers":[{"name":"c","image":"x:1"}]}}}}"#, type)
        #expect(stored["metadata"]?["annotations"]?["deprecated.daemonset.template.generation"] == .string("4"))
        var forged = stored
        forged["metadata"]?["annotations"]?["deprecated.daemonset.template.generation"] = .string("40")
        let same = ObjectDefaults.forUpdate(forged, existing: stored, type, subresource: nil)
        #expect(same["metadata"]?["annotations"]?["deprecated.daemonset.template.generation"] == .string("4"))
        #expect(same["metadata"]?["generation"] == .integer(1))
        var image = stored
        image["spec"]?["template"]?["spec"]?["containers"] = .array([.object(["name": .string("c"), "image": .string("x:2")])])
        let changed = ObjectDefaults.forUpdate(image, existing: stored, type, subresource: nil)
        #expect(changed["metadata"]?["annotations"]?["deprecated.daemonset.template.generation"] == .string("5"))
        #expect(changed["metadata"]?["generation"] == .integer(2))
    }

    @Test func jobGetsItsDefaultsSelectorAndLabels() throws {
        // `kubectl create job pi --image=perl`'s body.
        let job = try create(#"""
        {"apiVersion":"batch/v1","kind":"Job","metadata":{"name":"pi"},
         "spec":{"template":{"metadata":{},"spec":{"containers":[{"name":"pi","image":"perl:5.34"}],"restartPolicy":"Never"}}}}
        """#, BuiltinResources.jobs)
        let uid = try #require(job["metadata"]?["uid"]?.string)
        let spec = try #require(job["spec"])
        #expect(spec["completions"] == .integer(1) && spec["parallelism"] == .integer(1))
        #expect(spec["backoffLimit"] == .integer(6))
        #expect(spec["completionMode"] == .string("NonIndexed"))
        #expect(spec["suspend"] == .bool(false) && spec["manualSelector"] == .bool(false))
        #expect(spec["podReplacementPolicy"] == .string("TerminatingOrFailed"))
        #expect(spec["selector"] == .object(["matchLabels": .object(["batch.kubernetes.io/controller-uid": .string(uid)])]))
        let labels: JSONValue = .object([
            "batch.kubernetes.io/controller-uid": .string(uid), "batch.kubernetes.io/job-name": .string("pi"),
            "controller-uid": .string(uid), "job-name": .string("pi"),
        ])
        #expect(spec["template"]?["metadata"]?["labels"] == labels)
        #expect(job["metadata"]?["labels"] == labels)
        #expect(spec["template"]?["spec"]?["restartPolicy"] == .string("Never"))
        #expect(job["status"] == .object([:]))
    }

    @Test func jobEdgeCases() throws {
        let type = BuiltinResources.jobs
        let parallel = try create(#"{"metadata":{"name":"p","labels":{"team":"a"}},"spec":{"parallelism":3,"backoffLimitPerIndex":1,"completionMode":"Indexed","completions":5,"podFailurePolicy":{"rules":[{"action":"Ignore","onPodConditions":[{"type":"DisruptionTarget"}]}]}}}"#, type)
        let spec = try #require(parallel["spec"])
        #expect(spec["completions"] == .integer(5) && spec["parallelism"] == .integer(3))
        #expect(spec["backoffLimit"] == .integer(2_147_483_647))
        #expect(spec["podReplacementPolicy"] == .string("Failed"))
        #expect(spec["podFailurePolicy"]?["rules"]?.array?.first?["onPodConditions"]?.array?.first?["status"] == .string("True"))
        #expect(parallel["metadata"]?["labels"] == .object(["team": .string("a")]))
        // Only parallelism set: completions stays unset.
        let open = try create(#"{"metadata":{"name":"o"},"spec":{"parallelism":2}}"#, type)
        #expect(open["spec"]?["completions"] == nil)
        // A manual selector is left alone.
        let manual = try create(#"{"metadata":{"name":"m"},"spec":{"manualSelector":true,"selector":{"matchLabels":{"k":"v"}},"template":{"metadata":{"labels":{"k":"v"}}}}}"#, type)
        #expect(manual["spec"]?["selector"] == .object(["matchLabels": .object(["k": .string("v")])]))
        #expect(manual["spec"]?["template"]?["metadata"]?["labels"] == .object(["k": .string("v")]))
    }

    @Test func cronJobDefaultsItsJobTemplatesPodTemplateOnly() throws {
        let cron = try create(#"{"metadata":{"name":"tick"},"spec":{"schedule":"*/1 * * * *","jobTemplate":{"spec":{"template":{"spec":{"containers":[{"name":"c","image":"busybox"}],"restartPolicy":"OnFailure"}}}}}}"#,
                              BuiltinResources.cronJobs)
        let spec = try #require(cron["spec"])
        #expect(spec["concurrencyPolicy"] == .string("Allow") && spec["suspend"] == .bool(false))
        #expect(spec["successfulJobsHistoryLimit"] == .integer(3) && spec["failedJobsHistoryLimit"] == .integer(1))
        let jobSpec = try #require(spec["jobTemplate"]?["spec"])
        #expect(jobSpec["backoffLimit"] == nil && jobSpec["selector"] == nil)
        #expect(jobSpec["template"]?["spec"]?["dnsPolicy"] == .string("ClusterFirst"))
        #expect(cron["status"] == .object([:]))
    }
}
