import Hummingbird
import KubeCore

/// `/healthz`, `/livez`, `/readyz` as kube-apiserver answers them: `ok`, or with `?verbose`
/// one `[+]name ok` line per check and `<endpoint> check passed`; 500 when etcd does not answer.
struct HealthChecks: Sendable {
    let backend: any RegistryBackend

    func respond(_ endpoint: String, _ request: Request, query: RequestQuery) async -> Response {
        let only = request.uri.path.split(separator: "/").dropFirst().first.map(String.init)
        var checks: [(String, Bool)] = [("ping", true), ("log", true)]
        if endpoint != "livez" {
            let etcdUp = (try? await backend.currentRevision()) != nil
            checks.append(("etcd", etcdUp))
        }
        checks += ["poststarthook/start-apiextensions-controllers", "poststarthook/rbac/bootstrap-roles",
                   "poststarthook/bootstrap-controller"].map { ($0, true) }
        if let only {
            guard let check = checks.first(where: { $0.0 == only }) else {
                return KubeResponses.failure(.pathNotFound(request.uri.path))
            }
            return check.1 ? KubeResponses.text("ok") : KubeResponses.text("internal server error: \(only) check failed\n", status: .internalServerError)
        }
        let passed = checks.allSatisfy(\.1)
        if query["verbose"] == nil, passed { return KubeResponses.text("ok") }
        var text = ""
        for (name, ok) in checks { text += ok ? "[+]\(name) ok\n" : "[-]\(name) failed: reason withheld\n" }
        text += passed ? "\(endpoint) check passed\n" : "\(endpoint) check failed\n"
        return KubeResponses.text(text, status: passed ? .ok : .internalServerError)
    }
}
