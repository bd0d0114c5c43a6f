/// One controller kube-controller-manager can run: its names for `--controllers` and how to
/// start it.
public struct ControllerDescriptor: Sendable {
    /// The 1.33 name (`deployment-controller`).
    public var name: String
    /// The older names `--controllers` still accepts (`deployment`).
    public var aliases: [String]
    /// Whether `*` includes it (bootstrap-signer and token-cleaner are off by default).
    public var enabledByDefault: Bool
    /// The loops to run, made from the context.
    public var make: @Sendable (ControllerContext) -> [any Runnable]

    /// A controller named `name` (and `aliases`), run by the loops `make` returns.
    public init(_ name: String, aliases: [String] = [], enabledByDefault: Bool = true,
                make: @escaping @Sendable (ControllerContext) -> [any Runnable]) {
        self.name = name
        self.aliases = aliases
        self.enabledByDefault = enabledByDefault
        self.make = make
    }

    /// A controller that is one reconcile loop.
    public static func reconciler(_ name: String, aliases: [String] = [], _ make: @escaping @Sendable () -> any Reconciler) -> ControllerDescriptor {
        ControllerDescriptor(name, aliases: aliases) { context in
            [ControllerLoop(name: name, reconciler: make(), context: context)]
        }
    }
}

/// Something that runs until its task is cancelled.
public protocol Runnable: Sendable {
    /// Runs until cancelled.
    func run() async
}

extension ControllerLoop: Runnable {}
