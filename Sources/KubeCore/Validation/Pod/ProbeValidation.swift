/// Probes and lifecycle hooks: `validateProbe` and its liveness/readiness/startup variants,
/// `validateHandler` and `validateLifecycle`.
enum ProbeValidation {
    /// The probe of `kind` (`livenessProbe`, `readinessProbe`, `startupProbe`) at `path`, if set.
    static func probe(_ kind: String, _ probe: JSONValue?, gracePeriod: Int?, _ path: FieldPath) -> [FieldError] {
        guard let probe, GoFields.isSet(probe) else { return [] }
        var errors = handler(probe, allowed: ["exec", "httpGet", "tcpSocket", "grpc"], gracePeriod: gracePeriod, path)
        for field in ["initialDelaySeconds", "timeoutSeconds", "periodSeconds", "successThreshold", "failureThreshold"] {
            let value = GoFields.int(probe[field])
            if value < 0 { errors.append(FieldError(path.child(field), .invalid(value: .int(value), detail: "must be greater than or equal to 0"))) }
        }
        let probeGrace = probe["terminationGracePeriodSeconds"]?.int
        if let probeGrace, probeGrace <= 0 {
            errors.append(FieldError(path.child("terminationGracePeriodSeconds"), .invalid(value: .int(probeGrace), detail: "must be greater than 0")))
        }
        switch kind {
        case "livenessProbe", "startupProbe":
            let threshold = GoFields.int(probe["successThreshold"])
            if threshold != 1 { errors.append(FieldError(path.child("successThreshold"), .invalid(value: .int(threshold), detail: "must be 1"))) }
        default:
            if let probeGrace {
                errors.append(FieldError(path.child("terminationGracePeriodSeconds"), .invalid(value: .int(probeGrace), detail: "must not be set for readinessProbes")))
            }
        }
        return errors
    }

    /// `validateLifecycle`.
    static func lifecycle(_ lifecycle: JSONValue, gracePeriod: Int?, _ path: FieldPath) -> [FieldError] {
        var errors: [FieldError] = []
        for hook in ["postStart", "preStop"] {
            if let handler = lifecycle[hook], GoFields.isSet(handler) {
                errors += self.handler(handler, allowed: ["exec", "httpGet", "tcpSocket", "sleep"], gracePeriod: gracePeriod, path.child(hook))
            }
        }
        return errors
    }

    /// `validateHandler`: exactly one action of those `allowed`, and that action's checks.
    private static func handler(_ handler: JSONValue, allowed: Set<String>, gracePeriod: Int?, _ path: FieldPath) -> [FieldError] {
        var errors: [FieldError] = []
        var count = 0
        for action in ["exec", "httpGet", "tcpSocket", "grpc", "sleep"] where allowed.contains(action) {
            guard let value = handler[action], GoFields.isSet(value) else { continue }
            let actionPath = path.child(action)
            if count > 0 {
                errors.append(FieldError(actionPath, .forbidden(detail: "may not specify more than 1 handler type")))
                continue
            }
            count += 1
            switch action {
            case "exec":
                if GoFields.list(value["command"]).isEmpty { errors.append(FieldError(actionPath.child("command"), .required(detail: ""))) }
            case "httpGet":
                if GoFields.string(value["path"]).isEmpty { errors.append(FieldError(actionPath.child("path"), .required(detail: ""))) }
                errors += portNumOrName(value["port"], actionPath.child("port"))
                let scheme = GoFields.string(value["scheme"])
                if scheme != "HTTP", scheme != "HTTPS" {
                    errors.append(FieldError(actionPath.child("scheme"), .notSupported(value: .string(scheme), supported: ["HTTP", "HTTPS"])))
                }
                for header in GoFields.list(value["httpHeaders"]) {
                    let name = GoFields.string(header["name"])
                    errors += ValueFormats.httpHeaderName(name).map { FieldError(actionPath.child("httpHeaders"), .invalid(value: .string(name), detail: $0)) }
                }
            case "tcpSocket":
                errors += portNumOrName(value["port"], actionPath.child("port"))
            case "grpc":
                errors += portNumOrName(.integer(GoFields.int(value["port"])), actionPath.child("port"))
            default:
                // Sleep: PodLifecycleSleepActionAllowZero is on by default in 1.33 (beta).
                let seconds = GoFields.int(value["seconds"])
                if let gracePeriod, seconds < 0 || seconds > gracePeriod {
                    errors.append(FieldError(actionPath, .invalid(value: .int(seconds), detail: "must be non-negative and less than terminationGracePeriodSeconds (\(gracePeriod))")))
                }
            }
        }
        if count == 0 { errors.append(FieldError(path, .required(detail: "must specify a handler type"))) }
        return errors
    }

    /// `ValidatePortNumOrName` for an `IntOrString` port (absent reads as the integer 0).
    static func portNumOrName(_ port: JSONValue?, _ path: FieldPath) -> [FieldError] {
        if let name = port?.string {
            return ValueFormats.portName(name).map { FieldError(path, .invalid(value: .string(name), detail: $0)) }
        }
        let number = GoFields.int(port)
        return ValueFormats.portNumber(number).map { FieldError(path, .invalid(value: .int(number), detail: $0)) }
    }
}
