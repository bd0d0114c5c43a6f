import Foundation
import KubeCore
import Testing

/// Workload validation as kube-apiserver 1.33 words it (pkg/apis/apps/validation and
/// pkg/apis/batch/validation), run after defaulting and the create and update strategies, as
/// the apiserver runs it.
@Suite struct WorkloadValidationTests {
    private func json(_ text: String) throws -> JSONValue { try JSONValue(parsing: Data(text.utf8)) }

    /// The causes of creating `text`, as `field: body` lines.
    private func createErrors(_ text: String, _ type: ResourceType) throws -> [String] {
        let object = ObjectDefaults.forCreate(try json(text), type, namespace: "default", fieldManager: "test")
        return ObjectValidation.problems(object, type, old: nil).map(\.description)
    }

    /// The causes of updating the object created from `text` with `change` made to it.
    private func updateErrors(_ text: String, _ type: ResourceType, _ change: (inout JSONValue) -> Void) throws -> [String] {
        let stored = ObjectDefaults.forCreate(try json(text), type, namespace: "default", fieldManager: "test")
        var input = stored
        change(&input)
        let updated = ObjectDefaults.forUpdate(input, existing: stored, type, subresource: nil)
        return ObjectValidation.problems(updated, type, old: stored).map(\.description)
    }

    private func deployment(spec: String = "") -> String {
        #"{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web"},"spec":{"selector":{"matchLabels":{"app":"web"}},"template":{"metadata":{"labels":{"app":"web"}},"spec":{"containers":[{"name":"c","image":"nginx"}]}}"# + spec + "}}"
    }

    @Test func validDeploymentPasses() throws {
        #expect(try createErrors(deployment(), BuiltinResources.deployments) == [])
    }

    @Test func deploymentWithoutSelectorAlsoMismatchesItsLabels() throws {
        let text = #"{"metadata":{"name":"web"},"spec":{"template":{"metadata":{"labels":{"app":"web"}},"spec":{"containers":[{"name":"c","image":"nginx"}]}}}}"#
        #expect(try createErrors(text, BuiltinResources.deployments) == [
            "spec.selector: Required value",
            #"spec.template.metadata.labels: Invalid value: map[string]string{"app":"web"}: `selector` does not match template `labels`"#,
        ])
    }

    @Test func deploymentSelectorMustMatchTemplate() throws {
        let text = deployment().replacingOccurrences(of: #""matchLabels":{"app":"web"}"#, with: #""matchLabels":{"app":"other"}"#)
        #expect(try createErrors(text, BuiltinResources.deployments) == [
            #"spec.template.metadata.labels: Invalid value: map[string]string{"app":"web"}: `selector` does not match template `labels`"#,
        ])
    }

    @Test func deploymentCountsAndStrategy() throws {
        let text = deployment(spec: #","replicas":-1,"minReadySeconds":10,"progressDeadlineSeconds":5,"strategy":{"rollingUpdate":{"maxUnavailable":0,"maxSurge":"0%"}}"#)
        #expect(try createErrors(text, BuiltinResources.deployments) == [
            "spec.replicas: Invalid value: -1: must be greater than or equal to 0",
            "spec.strategy.rollingUpdate.maxUnavailable: Invalid value: 0: may not be 0 when `maxSurge` is 0",
            "spec.progressDeadlineSeconds: Invalid value: 5: must be greater than minReadySeconds",
        ])
    }

    @Test func deploymentStrategyTypeAndPercentages() throws {
        #expect(try createErrors(deployment(spec: #","strategy":{"type":"Bogus"}"#), BuiltinResources.deployments) == [
            #"spec.strategy: Unsupported value: apps.DeploymentStrategy{Type:"Bogus", RollingUpdate:(*apps.RollingUpdateDeployment)(nil)}: supported values: "Recreate", "RollingUpdate""#,
        ])
        #expect(try createErrors(deployment(spec: #","strategy":{"rollingUpdate":{"maxUnavailable":"abc","maxSurge":"150%"}}"#), BuiltinResources.deployments) == [
            "spec.strategy.rollingUpdate.maxUnavailable: Invalid value: abc: a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')",
        ])
        #expect(try createErrors(deployment(spec: #","strategy":{"type":"Recreate","rollingUpdate":{"maxSurge":1}}"#), BuiltinResources.deployments) == [
            "spec.strategy.rollingUpdate: Forbidden: may not be specified when strategy `type` is 'Recreate'",
        ])
    }

    @Test func deploymentTemplateMustRestartAlways() throws {
        let text = deployment().replacingOccurrences(of: #""containers""#, with: #""restartPolicy":"OnFailure","containers""#)
        #expect(try createErrors(text, BuiltinResources.deployments).contains(
            #"spec.template.spec.restartPolicy: Unsupported value: "OnFailure": supported values: "Always""#))
    }

    @Test func deploymentSelectorIsImmutable() throws {
        let errors = try updateErrors(deployment(), BuiltinResources.deployments) { object in
            object["spec"]?["selector"] = try! json(#"{"matchLabels":{"app":"web","tier":"x"}}"#)
            object["spec"]?["template"]?["metadata"]?["labels"]?["tier"] = .string("x")
        }
        #expect(errors == [#"spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string{"app":"web", "tier":"x"}, MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: field is immutable"#])
        // Scaling and a new image are fine.
        #expect(try updateErrors(deployment(), BuiltinResources.deployments) { $0["spec"]?["replicas"] = .integer(5) } == [])
    }

    @Test func emptySelectorsAndBadOperators() throws {
        let empty = deployment().replacingOccurrences(of: #""selector":{"matchLabels":{"app":"web"}}"#, with: #""selector":{}"#)
        #expect(try createErrors(empty, BuiltinResources.deployments) == [
            "spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string(nil), MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: empty selector is invalid for deployment",
        ])
        let badOperator = deployment().replacingOccurrences(of: #""selector":{"matchLabels":{"app":"web"}}"#, with: #""selector":{"matchExpressions":[{"key":"app","operator":"Bogus","values":["web"]}]}"#)
        #expect(try createErrors(badOperator, BuiltinResources.deployments) == [
            #"spec.selector.matchExpressions[0].operator: Invalid value: "Bogus": not a valid selector operator"#,
            #"spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string(nil), MatchExpressions:[]v1.LabelSelectorRequirement{v1.LabelSelectorRequirement{Key:"app", Operator:"Bogus", Values:[]string{"web"}}}}: invalid label selector"#,
        ])
    }

    private let statefulSet = #"{"metadata":{"name":"db"},"spec":{"serviceName":"db","selector":{"matchLabels":{"app":"db"}},"template":{"metadata":{"labels":{"app":"db"}},"spec":{"containers":[{"name":"c","image":"postgres"}]}}}}"#

    @Test func statefulSetRules() throws {
        #expect(try createErrors(statefulSet, BuiltinResources.statefulSets) == [])
        let bad = statefulSet.replacingOccurrences(of: #""serviceName":"db""#, with: #""serviceName":"db","podManagementPolicy":"Random","updateStrategy":{"type":"OnDelete","rollingUpdate":{"partition":1}},"persistentVolumeClaimRetentionPolicy":{"whenDeleted":"Keep"}"#)
        #expect(try createErrors(bad, BuiltinResources.statefulSets) == [
            #"spec.podManagementPolicy: Invalid value: "Random": must be 'OrderedReady' or 'Parallel'"#,
            "spec.updateStrategy.rollingUpdate: Invalid value: apps.RollingUpdateStatefulSetStrategy{Partition:1, MaxUnavailable:(*intstr.IntOrString)(nil)}: only allowed for updateStrategy 'RollingUpdate'",
            #"spec.persistentVolumeClaimRetentionPolicy.whenDeleted: Unsupported value: "Keep": supported values: "Retain", "Delete""#,
        ])
    }

    @Test func statefulSetUpdatesOnlyTheMutableFields() throws {
        #expect(try updateErrors(statefulSet, BuiltinResources.statefulSets) { $0["spec"]?["replicas"] = .integer(3) } == [])
        #expect(try updateErrors(statefulSet, BuiltinResources.statefulSets) { $0["spec"]?["serviceName"] = .string("other") } == [
            "spec: Forbidden: updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden",
        ])
    }

    @Test func daemonSetRules() throws {
        let text = #"{"metadata":{"name":"agent"},"spec":{"selector":{"matchLabels":{"app":"agent"}},"template":{"metadata":{"labels":{"app":"agent"}},"spec":{"containers":[{"name":"c","image":"busybox"}]}}}}"#
        #expect(try createErrors(text, BuiltinResources.daemonSets) == [])
        let surge = text.replacingOccurrences(of: #""template""#, with: #""updateStrategy":{"rollingUpdate":{"maxUnavailable":1,"maxSurge":1}},"template""#)
        #expect(try createErrors(surge, BuiltinResources.daemonSets) == [
            "spec.updateStrategy.rollingUpdate.maxSurge: Invalid value: 1: may not be set when maxUnavailable is non-zero",
        ])
        let zero = text.replacingOccurrences(of: #""template""#, with: #""updateStrategy":{"rollingUpdate":{"maxUnavailable":0,"maxSurge":0}},"template""#)
        #expect(try createErrors(zero, BuiltinResources.daemonSets) == [
            "spec.updateStrategy.rollingUpdate.maxUnavailable: Required value: cannot be 0 when maxSurge is 0",
        ])
    }

    private let job = #"{"metadata":{"name":"pi"},"spec":{"template":{"spec":{"restartPolicy":"Never","containers":[{"name":"c","image":"perl"}]}}}}"#

    @Test func jobRules() throws {
        #expect(try createErrors(job, BuiltinResources.jobs) == [])
        let always = job.replacingOccurrences(of: #""restartPolicy":"Never","#, with: "")
        #expect(try createErrors(always, BuiltinResources.jobs) == [
            #"spec.template.spec.restartPolicy: Required value: valid values: "OnFailure", "Never""#,
        ])
        let counts = job.replacingOccurrences(of: #""template""#, with: #""parallelism":-1,"backoffLimit":-2,"completionMode":"Bogus","template""#)
        #expect(try createErrors(counts, BuiltinResources.jobs) == [
            "spec.parallelism: Invalid value: -1: must be greater than or equal to 0",
            "spec.backoffLimit: Invalid value: -2: must be greater than or equal to 0",
            #"spec.completionMode: Unsupported value: "Bogus": supported values: "NonIndexed", "Indexed""#,
        ])
    }

    @Test func jobTemplateAndCompletionsAreImmutable() throws {
        #expect(try updateErrors(job, BuiltinResources.jobs) { $0["spec"]?["completions"] = .integer(3) } == [
            "spec.completions: Invalid value: 3: field is immutable",
        ])
        let errors = try updateErrors(job, BuiltinResources.jobs) {
            $0["spec"]?["template"]?["spec"]?["containers"] = try! json(#"[{"name":"c","image":"perl:2"}]"#)
        }
        #expect(errors.count == 1 && errors[0].hasPrefix("spec.template: Invalid value: ") && errors[0].hasSuffix(": field is immutable"))
        #expect(try updateErrors(job, BuiltinResources.jobs) { $0["spec"]?["activeDeadlineSeconds"] = .integer(60) } == [])
    }

    private let cronJob = #"{"metadata":{"name":"tick"},"spec":{"schedule":"*/5 * * * *","jobTemplate":{"spec":{"template":{"spec":{"restartPolicy":"OnFailure","containers":[{"name":"c","image":"busybox"}]}}}}}}"#

    @Test func cronJobRules() throws {
        #expect(try createErrors(cronJob, BuiltinResources.cronJobs) == [])
        func schedule(_ text: String) throws -> [String] {
            try createErrors(cronJob.replacingOccurrences(of: "*/5 * * * *", with: text), BuiltinResources.cronJobs)
        }
        #expect(try schedule("bogus") == [#"spec.schedule: Invalid value: "bogus": expected exactly 5 fields, found 1: [bogus]"#])
        #expect(try schedule("61 * * * *") == [#"spec.schedule: Invalid value: "61 * * * *": end of range (61) above maximum (59): 61"#])
        #expect(try schedule("@hourly") == [])
        #expect(try schedule("TZ=UTC 0 * * * *") == [#"spec.schedule: Invalid value: "TZ=UTC 0 * * * *": cannot use TZ or CRON_TZ in schedule, use timeZone field instead"#])
        let policy = cronJob.replacingOccurrences(of: #""jobTemplate""#, with: #""concurrencyPolicy":"Sometimes","timeZone":"Mars/Olympus","successfulJobsHistoryLimit":-1,"jobTemplate""#)
        #expect(try createErrors(policy, BuiltinResources.cronJobs) == [
            #"spec.timeZone: Invalid value: "Mars/Olympus": unknown time zone Mars/Olympus"#,
            #"spec.concurrencyPolicy: Unsupported value: "Sometimes": supported values: "Allow", "Forbid", "Replace""#,
            "spec.successfulJobsHistoryLimit: Invalid value: -1: must be greater than or equal to 0",
        ])
    }

    @Test func podDisruptionBudgetRules() throws {
        func budget(_ spec: String) -> String {
            #"{"metadata":{"name":"pdb"},"spec":{"selector":{"matchLabels":{"app":"web"}},"# + spec + "}}"
        }
        #expect(try createErrors(budget(#""minAvailable":"50%""#), BuiltinResources.podDisruptionBudgets) == [])
        #expect(try createErrors(budget(#""maxUnavailable":"half","unhealthyPodEvictionPolicy":"Never""#), BuiltinResources.podDisruptionBudgets) == [
            "spec.maxUnavailable: Invalid value: half: a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')",
            #"spec.unhealthyPodEvictionPolicy: Unsupported value: "Never": supported values: "AlwaysAllow", "IfHealthyBudget""#,
        ])
        let both = try createErrors(budget(#""minAvailable":1,"maxUnavailable":1"#), BuiltinResources.podDisruptionBudgets)
        #expect(both.count == 1 && both[0].hasPrefix("spec: Invalid value: policy.PodDisruptionBudgetSpec{") && both[0].hasSuffix(": minAvailable and maxUnavailable cannot be both set"))
    }
}
