import Foundation

/// Printers for pods and the workload controllers, copied from kube-apiserver's
/// pkg/printers/internalversion/printers.go (1.33).
enum WorkloadPrinters {
    typealias F = TableFormat

    // MARK: Pods

    /// Pods: Name, Ready, Status, Restarts, Age; wide IP, Node, Nominated Node, Readiness Gates.
    static let pod = TablePrinter(
        columns: [
            .name,
            TableColumn("Ready", description: "The aggregate readiness state of this pod for accepting traffic."),
            TableColumn("Status", description: "The aggregate status of the containers in this pod."),
            TableColumn("Restarts", description: "The number of times the containers in this pod have been restarted and when the last container in this pod has restarted."),
            .age,
            TableColumn("IP", priority: 1, description: "podIP address allocated to the pod. Routable at least within the cluster. Empty if not yet allocated."),
            TableColumn("Node", priority: 1, description: "NodeName indicates in which node this pod is scheduled."),
            TableColumn("Nominated Node", priority: 1, description: "nominatedNodeName is set only when this pod preempts other pods on the node, but it cannot be scheduled right away as preemption victims receive their graceful termination periods."),
            TableColumn("Readiness Gates", priority: 1, description: "If specified, all readiness gates will be evaluated for pod readiness."),
        ],
        cells: podCells,
        conditions: { pod in
            switch F.str(pod["status"]?["phase"]) {
            case "Succeeded": return [completed("Succeeded", "The pod has completed successfully.")]
            case "Failed": return [completed("Failed", "The pod failed.")]
            default: return []
            }
        })

    /// A `Completed` row condition.
    static func completed(_ reason: String, _ message: String) -> JSONValue {
        .object(["type": .string("Completed"), "status": .string("True"), "reason": .string(reason), "message": .string(message)])
    }

    /// `printPod`, step for step: readiness, the status reason (init containers, waiting and
    /// terminated reasons, Terminating) and restarts with the last restart's age.
    static func podCells(_ pod: JSONValue, _ now: Date) -> [JSONValue] {
        let spec = pod["spec"], status = pod["status"]
        let initSpecs = F.arr(spec?["initContainers"])
        var totalContainers = F.arr(spec?["containers"]).count
        var readyContainers = 0
        var restarts = 0, restartableInitRestarts = 0
        var lastRestart: Date?, lastRestartableInitRestart: Date?
        let phase = F.str(status?["phase"])
        var reason = phase
        if let r = status?["reason"]?.string, !r.isEmpty { reason = r }
        for c in F.arr(status?["conditions"]) where F.str(c["type"]) == "PodScheduled" && F.str(c["reason"]) == "SchedulingGated" {
            reason = "SchedulingGated"
        }
        // Sidecars (init containers with restartPolicy Always) count as containers.
        var restartable = Set<String>()
        for c in initSpecs where F.str(c["restartPolicy"]) == "Always" {
            restartable.insert(F.str(c["name"]))
            totalContainers += 1
        }
        func later(_ a: Date?, _ status: JSONValue) -> Date? {
            guard let ts = status["lastState"]?["terminated"]?["finishedAt"]?.string, let d = KubeTime.parse(ts) else { return a }
            guard let a else { return d }
            return d > a ? d : a
        }

        var initializing = false
        for (i, c) in F.arr(status?["initContainerStatuses"]).enumerated() {
            restarts += F.int(c["restartCount"])
            lastRestart = later(lastRestart, c)
            let isRestartable = restartable.contains(F.str(c["name"]))
            if isRestartable {
                restartableInitRestarts += F.int(c["restartCount"])
                lastRestartableInitRestart = later(lastRestartableInitRestart, c)
            }
            let terminated = c["state"]?["terminated"], waiting = c["state"]?["waiting"]
            if let t = terminated, F.int(t["exitCode"]) == 0 { continue }
            if isRestartable && F.bool(c["started"]) {
                if F.bool(c["ready"]) { readyContainers += 1 }
                continue
            }
            if let t = terminated {
                // Initialization failed.
                let r = F.str(t["reason"])
                if r.isEmpty {
                    let signal = F.int(t["signal"])
                    reason = signal != 0 ? "Init:Signal:\(signal)" : "Init:ExitCode:\(F.int(t["exitCode"]))"
                } else {
                    reason = "Init:" + r
                }
            } else if let w = waiting, !F.str(w["reason"]).isEmpty, F.str(w["reason"]) != "PodInitializing" {
                reason = "Init:" + F.str(w["reason"])
            } else {
                reason = "Init:\(i)/\(initSpecs.count)"
            }
            initializing = true
            break
        }

        let initialized = F.arr(status?["conditions"]).contains {
            F.str($0["type"]) == "Initialized" && F.str($0["status"]) == "True"
        }
        if !initializing || initialized {
            restarts = restartableInitRestarts
            lastRestart = lastRestartableInitRestart
            var hasRunning = false
            for c in F.arr(status?["containerStatuses"]).reversed() {
                restarts += F.int(c["restartCount"])
                lastRestart = later(lastRestart, c)
                let state = c["state"]
                if let w = state?["waiting"], !F.str(w["reason"]).isEmpty {
                    reason = F.str(w["reason"])
                } else if let t = state?["terminated"], !F.str(t["reason"]).isEmpty {
                    reason = F.str(t["reason"])
                } else if let t = state?["terminated"] {
                    let signal = F.int(t["signal"])
                    reason = signal != 0 ? "Signal:\(signal)" : "ExitCode:\(F.int(t["exitCode"]))"
                } else if F.bool(c["ready"]), F.isSet(state?["running"]) {
                    hasRunning = true
                    readyContainers += 1
                }
            }
            // Back to Running if a container still runs after another completed.
            if reason == "Completed" && hasRunning {
                let ready = F.arr(status?["conditions"]).contains { F.str($0["type"]) == "Ready" && F.str($0["status"]) == "True" }
                reason = ready ? "Running" : "NotReady"
            }
        }

        let deleting = F.isSet(pod["metadata"]?["deletionTimestamp"])
        if deleting && F.str(status?["reason"]) == "NodeLost" {
            reason = "Unknown"
        } else if deleting && phase != "Succeeded" && phase != "Failed" {
            reason = "Terminating"
        }

        var restartsText = String(restarts)
        if restarts != 0, let lastRestart {
            restartsText = "\(restarts) (\(HumanDuration.format(now.timeIntervalSince(lastRestart))) ago)"
        }

        // The internal Pod's podIPs is filled from podIP when only that is set.
        var podIP = F.str(F.arr(status?["podIPs"]).first?["ip"])
        if podIP.isEmpty { podIP = F.str(status?["podIP"]) }
        var readinessGates = "<none>"
        let gates = F.arr(spec?["readinessGates"])
        if !gates.isEmpty {
            var trueConditions = 0
            for g in gates {
                if let c = F.arr(status?["conditions"]).first(where: { F.str($0["type"]) == F.str(g["conditionType"]) }),
                   F.str(c["status"]) == "True" { trueConditions += 1 }
            }
            readinessGates = "\(trueConditions)/\(gates.count)"
        }
        func orNone(_ s: String) -> JSONValue { .string(s.isEmpty ? "<none>" : s) }
        return [
            .string(F.name(pod)), .string("\(readyContainers)/\(totalContainers)"), .string(reason),
            .string(restartsText), F.age(pod, now),
            orNone(podIP), orNone(F.str(spec?["nodeName"])), orNone(F.str(status?["nominatedNodeName"])),
            .string(readinessGates),
        ]
    }

    /// PodTemplates: Name, Containers, Images, Pod Labels.
    static let podTemplate = TablePrinter(
        columns: [.name, TableColumn("Containers", description: "Names of each container in the template."),
                  TableColumn("Images", description: "Images referenced by each container in the template."),
                  TableColumn("Pod Labels", description: "The labels for the pod template.")],
        cells: { o, _ in
            [.string(F.name(o))] + F.containerCells(o["template"]?["spec"]) + [.string(F.labels(o["template"]?["metadata"]?["labels"]))]
        })

    // MARK: Controllers

    /// `spec.replicas`, defaulted to 1 as the apiserver defaults it.
    static func replicas(_ o: JSONValue) -> Int { F.optInt(o["spec"]?["replicas"]) ?? 1 }

    /// Deployments: Name, Ready, Up-to-date, Available, Age; wide Containers, Images, Selector.
    static let deployment = TablePrinter(
        columns: [.name, TableColumn("Ready", description: "Number of the pod with ready state"),
                  TableColumn("Up-to-date", description: "Total number of non-terminated pods targeted by this deployment that have the desired template spec."),
                  TableColumn("Available", description: "Total number of available pods (ready for at least minReadySeconds) targeted by this deployment."),
                  .age, .containers, .images, .selector],
        cells: { o, now in
            let s = o["status"]
            return [.string(F.name(o)), .string("\(F.int(s?["readyReplicas"]))/\(replicas(o))"),
                    .integer(F.int(s?["updatedReplicas"])), .integer(F.int(s?["availableReplicas"])), F.age(o, now)]
                + F.containerCells(o["spec"]?["template"]?["spec"]) + [.string(F.selectorString(o["spec"]?["selector"]))]
        })

    /// ReplicaSets: Name, Desired, Current, Ready, Age; wide Containers, Images, Selector.
    static let replicaSet = TablePrinter(
        columns: [.name, TableColumn("Desired", "integer", description: "Replicas is the number of desired pods."),
                  TableColumn("Current", "integer", description: "Replicas is the most recently observed number of replicas."),
                  TableColumn("Ready", "integer", description: "The number of ready replicas for this replica set."),
                  .age, .containers, .images, .selector],
        cells: { o, now in
            let s = o["status"]
            return [.string(F.name(o)), .integer(replicas(o)), .integer(F.int(s?["replicas"])),
                    .integer(F.int(s?["readyReplicas"])), F.age(o, now)]
                + F.containerCells(o["spec"]?["template"]?["spec"]) + [.string(F.labelSelector(o["spec"]?["selector"]))]
        })

    /// ReplicationControllers: like ReplicaSets, with a map selector.
    static let replicationController = TablePrinter(
        columns: replicaSet.columns,
        cells: { o, now in
            let s = o["status"]
            return [.string(F.name(o)), .integer(replicas(o)), .integer(F.int(s?["replicas"])),
                    .integer(F.int(s?["readyReplicas"])), F.age(o, now)]
                + F.containerCells(o["spec"]?["template"]?["spec"]) + [.string(F.labels(o["spec"]?["selector"]))]
        })

    /// DaemonSets: Name, Desired, Current, Ready, Up-to-date, Available, Node Selector, Age; wide
    /// Containers, Images, Selector.
    static let daemonSet = TablePrinter(
        columns: [.name, TableColumn("Desired", "integer", description: "The total number of nodes that should be running the daemon pod (including nodes correctly running the daemon pod)."),
                  TableColumn("Current", "integer", description: "The number of nodes that are running at least 1 daemon pod and are supposed to run the daemon pod."),
                  TableColumn("Ready", "integer", description: "The number of nodes that should be running the daemon pod and have one or more of the daemon pod running and ready."),
                  TableColumn("Up-to-date", "integer", description: "The total number of nodes that are running updated daemon pod"),
                  TableColumn("Available", "integer", description: "The number of nodes that should be running the daemon pod and have one or more of the daemon pod running and available (ready for at least spec.minReadySeconds)"),
                  TableColumn("Node Selector", description: "NodeSelector is a selector which must be true for the pod to fit on a node."),
                  .age, .containers, .images, .selector],
        cells: { o, now in
            let s = o["status"], podSpec = o["spec"]?["template"]?["spec"]
            return [.string(F.name(o)), .integer(F.int(s?["desiredNumberScheduled"])), .integer(F.int(s?["currentNumberScheduled"])),
                    .integer(F.int(s?["numberReady"])), .integer(F.int(s?["updatedNumberScheduled"])),
                    .integer(F.int(s?["numberAvailable"])), .string(F.labels(podSpec?["nodeSelector"])), F.age(o, now)]
                + F.containerCells(podSpec) + [.string(F.labelSelector(o["spec"]?["selector"]))]
        })

    /// StatefulSets: Name, Ready, Age; wide Containers, Images.
    static let statefulSet = TablePrinter(
        columns: [.name, TableColumn("Ready", description: "Number of the pod with ready state"), .age, .containers, .images],
        cells: { o, now in
            [.string(F.name(o)), .string("\(F.int(o["status"]?["readyReplicas"]))/\(replicas(o))"), F.age(o, now)]
                + F.containerCells(o["spec"]?["template"]?["spec"])
        })

    /// ControllerRevisions: Name, Controller, Revision, Age.
    static let controllerRevision = TablePrinter(
        columns: [.name, TableColumn("Controller", description: "Controller of the object"),
                  TableColumn("Revision", description: "Revision indicates the revision of the state represented by Data."), .age],
        cells: { o, now in
            [.string(F.name(o)), .string(F.controllerName(o)), .integer(F.int(o["revision"])), F.age(o, now)]
        })

    // MARK: batch

    /// `hasJobCondition`: the status of the first condition of that type.
    static func jobCondition(_ o: JSONValue, _ type: String) -> Bool {
        guard let c = F.arr(o["status"]?["conditions"]).first(where: { F.str($0["type"]) == type }) else { return false }
        return F.str(c["status"]) == "True"
    }

    /// Jobs: Name, Status, Completions, Duration, Age; wide Containers, Images, Selector.
    static let job = TablePrinter(
        columns: [.name, TableColumn("Status", description: "Status of the job."),
                  TableColumn("Completions", description: "The number of pods which reached phase Succeeded."),
                  TableColumn("Duration", description: "Time required to complete the job."),
                  .age, .containers, .images, .selector],
        cells: { o, now in
            let spec = o["spec"], status = o["status"]
            let succeeded = F.int(status?["succeeded"])
            let completions: String
            if let c = F.optInt(spec?["completions"]) {
                completions = "\(succeeded)/\(c)"
            } else if let p = F.optInt(spec?["parallelism"]), p > 1 {
                completions = "\(succeeded)/1 of \(p)"
            } else {
                completions = "\(succeeded)/1"
            }
            var duration = ""
            if let start = status?["startTime"]?.string.flatMap(KubeTime.parse) {
                let end = status?["completionTime"]?.string.flatMap(KubeTime.parse) ?? now
                duration = HumanDuration.format(end.timeIntervalSince(start))
            }
            let state: String
            if jobCondition(o, "Complete") { state = "Complete" }
            else if jobCondition(o, "Failed") { state = "Failed" }
            else if F.isSet(o["metadata"]?["deletionTimestamp"]) { state = "Terminating" }
            else if jobCondition(o, "Suspended") { state = "Suspended" }
            else if jobCondition(o, "FailureTarget") { state = "FailureTarget" }
            else { state = "Running" }
            return [.string(F.name(o)), .string(state), .string(completions), .string(duration), F.age(o, now)]
                + F.containerCells(spec?["template"]?["spec"]) + [.string(F.labelSelector(spec?["selector"]))]
        })

    /// CronJobs: Name, Schedule, Timezone, Suspend, Active, Last Schedule, Age; wide Containers,
    /// Images, Selector.
    static let cronJob = TablePrinter(
        columns: [.name, TableColumn("Schedule", description: "The schedule in Cron format, see https://en.wikipedia.org/wiki/Cron."),
                  TableColumn("Timezone", description: "The time zone name for the given schedule, see https://en.wikipedia.org/wiki/List_of_tz_database_time_zones."),
                  TableColumn("Suspend", "boolean", description: "This flag tells the controller to suspend subsequent executions, it does not apply to already started executions.  Defaults to false."),
                  TableColumn("Active", "integer", description: "A list of pointers to currently running jobs."),
                  TableColumn("Last Schedule", description: "Information when was the last time the job was successfully scheduled."),
                  .age, .containers, .images, .selector],
        cells: { o, now in
            let spec = o["spec"], jobSpec = spec?["jobTemplate"]?["spec"]
            let last = o["status"]?["lastScheduleTime"]?.string.map { HumanDuration.since($0, now: now) } ?? "<none>"
            return [.string(F.name(o)), .string(F.str(spec?["schedule"])), .string(spec?["timeZone"]?.string ?? "<none>"),
                    .string(F.boolPtr(spec?["suspend"])), .integer(F.arr(o["status"]?["active"]).count),
                    .string(last), F.age(o, now)]
                + F.containerCells(jobSpec?["template"]?["spec"]) + [.string(F.labelSelector(jobSpec?["selector"]))]
        })

    // MARK: autoscaling and policy

    /// HorizontalPodAutoscalers: Name, Reference, Targets, MinPods, MaxPods, Replicas, Age.
    static let horizontalPodAutoscaler = TablePrinter(
        columns: [.name, TableColumn("Reference", description: "reference to scaled resource; horizontal pod autoscaler will learn the current resource consumption and will set the desired number of pods by using its Scale subresource."),
                  TableColumn("Targets", description: "metrics contains the specifications for which to use to calculate the desired replica count (the maximum replica count across all metrics will be used)."),
                  TableColumn("MinPods", description: "minReplicas is the lower limit for the number of replicas to which the autoscaler can scale down."),
                  TableColumn("MaxPods", description: "maxReplicas is the upper limit for the number of replicas to which the autoscaler can scale up."),
                  TableColumn("Replicas", description: "currentReplicas is current number of replicas of pods managed by this autoscaler, as last seen by the autoscaler."),
                  .age],
        cells: { o, now in
            let spec = o["spec"], ref = spec?["scaleTargetRef"]
            let minPods = F.optInt(spec?["minReplicas"]).map(String.init) ?? "<unset>"
            return [.string(F.name(o)), .string("\(F.str(ref?["kind"]))/\(F.str(ref?["name"]))"),
                    .string(hpaMetrics(o)), .string(minPods), .integer(F.int(spec?["maxReplicas"])),
                    .integer(F.int(o["status"]?["currentReplicas"])), F.age(o, now)]
        })

    /// `formatHPAMetrics` for autoscaling/v2 objects (and the v1 CPU-percentage shorthand).
    static func hpaMetrics(_ o: JSONValue) -> String {
        let spec = o["spec"], status = o["status"]
        if spec?["metrics"] == nil, let target = F.optInt(spec?["targetCPUUtilizationPercentage"]) {
            let current = F.optInt(status?["currentCPUUtilizationPercentage"]).map { "\($0)%" } ?? "<unknown>"
            return "cpu: \(current)/\(target)%"
        }
        let specs = F.arr(spec?["metrics"]), statuses = F.arr(status?["currentMetrics"])
        if specs.isEmpty { return "<none>" }
        var list: [String] = []
        for (i, m) in specs.enumerated() {
            let st: JSONValue? = i < statuses.count ? statuses[i] : nil
            func avgOrValue(_ key: String) -> String {
                let target = m[key]?["target"]
                if F.isSet(target?["averageValue"]) {
                    let cur = st?[key]?["current"]?["averageValue"].map { F.scalarText($0) } ?? "<unknown>"
                    return "\(cur)/\(F.scalarText(target?["averageValue"])) (avg)"
                }
                let cur = st?[key] != nil ? F.scalarText(st?[key]?["current"]?["value"]) : "<unknown>"
                return "\(cur)/\(F.scalarText(target?["value"]))"
            }
            func resource(_ key: String) -> String {
                let target = m[key]?["target"], name = F.str(m[key]?["name"])
                if F.isSet(target?["averageValue"]) {
                    let cur = st?[key] != nil ? F.scalarText(st?[key]?["current"]?["averageValue"]) : "<unknown>"
                    return "\(name): \(cur)/\(F.scalarText(target?["averageValue"]))"
                }
                let cur = F.optInt(st?[key]?["current"]?["averageUtilization"]).map { "\($0)%" } ?? "<unknown>"
                let tgt = F.optInt(target?["averageUtilization"]).map { "\($0)%" } ?? "<auto>"
                return "\(name): \(cur)/\(tgt)"
            }
            switch F.str(m["type"]) {
            case "External": list.append(avgOrValue("external"))
            case "Object": list.append(avgOrValue("object"))
            case "Pods":
                let cur = st?["pods"] != nil ? F.scalarText(st?["pods"]?["current"]?["averageValue"]) : "<unknown>"
                list.append("\(cur)/\(F.scalarText(m["pods"]?["target"]?["averageValue"]))")
            case "Resource": list.append(resource("resource"))
            case "ContainerResource": list.append(resource("containerResource"))
            default: list.append("<unknown type>")
            }
        }
        let ret = list.prefix(2).joined(separator: ", ")
        return list.count > 2 ? "\(ret) + \(list.count - 2) more..." : ret
    }

    /// PodDisruptionBudgets: Name, Min Available, Max Unavailable, Allowed Disruptions, Age.
    static let podDisruptionBudget = TablePrinter(
        columns: [.name, TableColumn("Min Available", description: "The minimum number of pods that must be available."),
                  TableColumn("Max Unavailable", description: "The maximum number of pods that may be unavailable."),
                  TableColumn("Allowed Disruptions", "integer", description: "Calculated number of pods that may be disrupted at this time."),
                  .age],
        cells: { o, now in
            let spec = o["spec"]
            let minA = F.isSet(spec?["minAvailable"]) ? F.scalarText(spec?["minAvailable"]) : "N/A"
            let maxU = F.isSet(spec?["maxUnavailable"]) ? F.scalarText(spec?["maxUnavailable"]) : "N/A"
            return [.string(F.name(o)), .string(minA), .string(maxU), .integer(F.int(o["status"]?["disruptionsAllowed"])), F.age(o, now)]
        })
}
