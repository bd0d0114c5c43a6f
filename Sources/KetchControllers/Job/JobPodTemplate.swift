import KubeCore

/// The pods a Job creates: its template with the Job's labels, the tracking finalizer and a
/// controller reference, named `<job>-xxxxx` (NonIndexed) or `<job>-<index>-xxxxx` (Indexed),
/// as `manageJob` and `controller.GetPodFromTemplate` make them.
public enum JobPodTemplate {
    /// `names.MaxGeneratedNameLength`: 63 less the five random characters.
    static let maxGeneratedNameLength = 58

    /// A new pod for `job`; `index` is its completion index in an Indexed Job.
    public static func pod(for job: JSONValue, index: Int? = nil) -> JSONValue {
        let spec = JobSpec(job)
        var template = job["spec"]?["template"] ?? .object([:])
        var meta = template["metadata"]?.object ?? [:]
        // The apiserver's Job strategy puts these labels on the template when it generates the
        // selector; they are added here too, so pods carry them whatever stored the Job.
        var labels = meta["labels"]?.object ?? [:]
        if !spec.manualSelector {
            for (key, value) in [(JobWellKnown.controllerUIDLabel, spec.uid), (JobWellKnown.jobNameLabel, spec.name),
                                 (JobWellKnown.legacyControllerUIDLabel, spec.uid), (JobWellKnown.legacyJobNameLabel, spec.name)]
            where labels[key] == nil {
                labels[key] = .string(value)
            }
        }
        var finalizers = meta["finalizers"]?.array ?? []
        if !finalizers.contains(.string(JobWellKnown.trackingFinalizer)) {
            finalizers.append(.string(JobWellKnown.trackingFinalizer))
        }
        meta["finalizers"] = .array(finalizers)
        var podSpec = template["spec"] ?? .object([:])
        if let index, spec.isIndexed {
            var annotations = meta["annotations"]?.object ?? [:]
            annotations[JobWellKnown.completionIndexKey] = .string(String(index))
            meta["annotations"] = .object(annotations)
            labels[JobWellKnown.completionIndexKey] = .string(String(index))
            podSpec = withCompletionIndexEnv(podSpec)
            podSpec["hostname"] = .string("\(spec.name)-\(index)")
        }
        meta["labels"] = .object(labels)
        template["metadata"] = .object(meta)
        template["spec"] = podSpec
        var pod = PodFromTemplate.pod(template: template, owner: job, ownerType: BuiltinResources.jobs)
        pod["metadata"]?["namespace"] = .string(spec.namespace)
        if let index, spec.isIndexed {
            pod["metadata"]?["generateName"] = .string(generateName(job: spec.name, index: index))
        }
        return pod
    }

    /// `<job>-<index>-`, with the job name cut so the whole fits a generated name
    /// (`podGenerateNameWithIndex`).
    static func generateName(job: String, index: Int) -> String {
        let suffix = "-\(index)-"
        let prefix = job + suffix
        guard prefix.count > maxGeneratedNameLength else { return prefix }
        return String(prefix.prefix(maxGeneratedNameLength - suffix.count)) + suffix
    }

    /// `JOB_COMPLETION_INDEX` from the index label, in every container and init container that
    /// does not set it already.
    static func withCompletionIndexEnv(_ podSpec: JSONValue) -> JSONValue {
        var spec = podSpec
        let variable: JSONValue = .object([
            "name": .string(JobWellKnown.completionIndexEnv),
            "valueFrom": .object(["fieldRef": .object([
                "fieldPath": .string("metadata.labels['\(JobWellKnown.completionIndexKey)']"),
            ])]),
        ])
        for field in ["initContainers", "containers"] {
            guard var containers = spec[field]?.array else { continue }
            for i in containers.indices {
                var env = containers[i]["env"]?.array ?? []
                if !env.contains(where: { $0["name"]?.string == JobWellKnown.completionIndexEnv }) {
                    env.append(variable)
                }
                containers[i]["env"] = .array(env)
            }
            spec[field] = .array(containers)
        }
        return spec
    }
}
