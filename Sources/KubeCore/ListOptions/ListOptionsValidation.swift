/// apimachinery's `ValidateListOptions` (`apis/meta/internalversion/validation`), which the list,
/// watch and deletecollection handlers run before touching storage. A failure is 422 Invalid
/// for kind `ListOptions.meta.k8s.io`, e.g. `ListOptions.meta.k8s.io "" is invalid:
/// resourceVersionMatch: Forbidden: resourceVersionMatch is forbidden unless resourceVersion is provided`.
public enum ListOptionsValidation {
    /// The options the checks read; nil means the query parameter was absent.
    public struct Options: Sendable, Hashable {
        /// `watch`: a watch has its own rules.
        public var watch: Bool
        /// `resourceVersion`, "" when absent.
        public var resourceVersion: String
        /// `resourceVersionMatch` (`Exact`, `NotOlderThan`), "" when absent.
        public var resourceVersionMatch: String
        /// `continue`, "" when absent.
        public var continueToken: String
        /// `sendInitialEvents` when given (true or false).
        public var sendInitialEvents: Bool?

        /// Options as decoded from a request's query.
        public init(watch: Bool, resourceVersion: String = "", resourceVersionMatch: String = "",
                    continueToken: String = "", sendInitialEvents: Bool? = nil) {
            self.watch = watch
            self.resourceVersion = resourceVersion
            self.resourceVersionMatch = resourceVersionMatch
            self.continueToken = continueToken
            self.sendInitialEvents = sendInitialEvents
        }
    }

    /// Every rule `options` breaks, in upstream's order (with the WatchList feature on, as the
    /// shim serves `sendInitialEvents`).
    public static func errors(_ options: Options) -> [FieldError] {
        let field = "resourceVersionMatch"
        let match = options.resourceVersionMatch
        var errors: [FieldError] = []
        if options.watch {
            if options.sendInitialEvents != nil, match != "NotOlderThan" {
                errors.append(FieldError(field: field, .forbidden(detail: "sendInitialEvents requires setting resourceVersionMatch to NotOlderThan")))
            }
            if !match.isEmpty {
                if options.sendInitialEvents == nil {
                    errors.append(FieldError(field: field, .forbidden(detail: "resourceVersionMatch is forbidden for watch unless sendInitialEvents is provided")))
                }
                if match != "NotOlderThan" {
                    errors.append(FieldError(field: field, .notSupported(value: .string(match), supported: ["NotOlderThan"])))
                }
                if !options.continueToken.isEmpty {
                    errors.append(FieldError(field: field, .forbidden(detail: "resourceVersionMatch is forbidden when continue is provided")))
                }
            }
            return errors
        }
        if !match.isEmpty {
            if options.resourceVersion.isEmpty {
                errors.append(FieldError(field: field, .forbidden(detail: "resourceVersionMatch is forbidden unless resourceVersion is provided")))
            }
            if !options.continueToken.isEmpty {
                errors.append(FieldError(field: field, .forbidden(detail: "resourceVersionMatch is forbidden when continue is provided")))
            }
            if match != "Exact", match != "NotOlderThan" {
                errors.append(FieldError(field: field, .notSupported(value: .string(match), supported: ["Exact", "NotOlderThan", ""])))
            }
            if match == "Exact", options.resourceVersion == "0" {
                errors.append(FieldError(field: field, .forbidden(detail: "resourceVersionMatch \"exact\" is forbidden for resourceVersion \"0\"")))
            }
        }
        if options.sendInitialEvents != nil {
            errors.append(FieldError(field: "sendInitialEvents", .forbidden(detail: "sendInitialEvents is forbidden for list")))
        }
        return errors
    }

    /// The 422 for `options`, nil when they are valid.
    public static func check(_ options: Options) -> KubeStatus? {
        let errors = errors(options)
        return errors.isEmpty ? nil : .invalid(group: "meta.k8s.io", kind: "ListOptions", name: "", errors: errors)
    }
}
