import Foundation
import Testing
@testable import KubeCore

/// RBAC decisions over small fixtures shaped like kubeadm's seeded objects.
@Suite struct RBACPolicyTests {
    /// Parses a JSON literal; fixtures are written as JSON so they read like real objects.
    static func json(_ text: String) -> JSONValue {
        try! JSONValue(parsing: Data(text.utf8))
    }

    static let clusterRoles = [
        json(#"{"kind":"ClusterRole","metadata":{"name":"cluster-admin"},"rules":[{"apiGroups":["*"],"resources":["*"],"verbs":["*"]},{"nonResourceURLs":["*"],"verbs":["*"]}]}"#),
        json(#"{"kind":"ClusterRole","metadata":{"name":"system:public-info-viewer"},"rules":[{"nonResourceURLs":["/healthz","/livez","/readyz","/version","/version/"],"verbs":["get"]}]}"#),
        json(#"{"kind":"ClusterRole","metadata":{"name":"system:discovery"},"rules":[{"nonResourceURLs":["/api","/api/*","/apis","/apis/*","/openapi","/openapi/*"],"verbs":["get"]}]}"#),
        json(#"{"kind":"ClusterRole","metadata":{"name":"pod-reader"},"rules":[{"apiGroups":[""],"resources":["pods"],"verbs":["get","list","watch"]}]}"#),
        json(#"{"kind":"ClusterRole","metadata":{"name":"status-reader"},"rules":[{"apiGroups":["*"],"resources":["*/status"],"verbs":["get"]}]}"#),
    ]
    static let clusterRoleBindings = [
        json(#"{"kind":"ClusterRoleBinding","metadata":{"name":"cluster-admin"},"roleRef":{"apiGroup":"rbac.authorization.k8s.io","kind":"ClusterRole","name":"cluster-admin"},"subjects":[{"apiGroup":"rbac.authorization.k8s.io","kind":"Group","name":"system:masters"}]}"#),
        json(#"{"kind":"ClusterRoleBinding","metadata":{"name":"kubeadm:cluster-admins"},"roleRef":{"apiGroup":"rbac.authorization.k8s.io","kind":"ClusterRole","name":"cluster-admin"},"subjects":[{"apiGroup":"rbac.authorization.k8s.io","kind":"Group","name":"kubeadm:cluster-admins"}]}"#),
        json(#"{"kind":"ClusterRoleBinding","metadata":{"name":"system:public-info-viewer"},"roleRef":{"kind":"ClusterRole","name":"system:public-info-viewer"},"subjects":[{"kind":"Group","name":"system:authenticated"},{"kind":"Group","name":"system:unauthenticated"}]}"#),
        json(#"{"kind":"ClusterRoleBinding","metadata":{"name":"system:discovery"},"roleRef":{"kind":"ClusterRole","name":"system:discovery"},"subjects":[{"kind":"Group","name":"system:authenticated"}]}"#),
        json(#"{"kind":"ClusterRoleBinding","metadata":{"name":"dangling"},"roleRef":{"kind":"ClusterRole","name":"does-not-exist"},"subjects":[{"kind":"User","name":"dangler"}]}"#),
        json(#"{"kind":"ClusterRoleBinding","metadata":{"name":"sa-without-namespace"},"roleRef":{"kind":"ClusterRole","name":"cluster-admin"},"subjects":[{"kind":"ServiceAccount","name":"default"}]}"#),
        json(#"{"kind":"ClusterRoleBinding","metadata":{"name":"status"},"roleRef":{"kind":"ClusterRole","name":"status-reader"},"subjects":[{"kind":"User","name":"watcher"}]}"#),
    ]
    static let roles = [
        json(#"{"kind":"Role","metadata":{"name":"cm-reader","namespace":"team"},"rules":[{"apiGroups":[""],"resources":["configmaps"],"verbs":["get","list"]}]}"#),
        json(#"{"kind":"Role","metadata":{"name":"one-secret","namespace":"team"},"rules":[{"apiGroups":[""],"resources":["secrets"],"resourceNames":["db-password"],"verbs":["get","update"]}]}"#),
        json(#"{"kind":"Role","metadata":{"name":"pod-exec","namespace":"team"},"rules":[{"apiGroups":[""],"resources":["pods/exec"],"verbs":["create"]}]}"#),
        // Same name in another namespace: a RoleBinding in "team" must not pick it up.
        json(#"{"kind":"Role","metadata":{"name":"everything","namespace":"other"},"rules":[{"apiGroups":["*"],"resources":["*"],"verbs":["*"]}]}"#),
    ]
    static let roleBindings = [
        json(#"{"kind":"RoleBinding","metadata":{"name":"alice-cm","namespace":"team"},"roleRef":{"kind":"Role","name":"cm-reader"},"subjects":[{"kind":"User","name":"alice"}]}"#),
        json(#"{"kind":"RoleBinding","metadata":{"name":"alice-secret","namespace":"team"},"roleRef":{"kind":"Role","name":"one-secret"},"subjects":[{"kind":"User","name":"alice"}]}"#),
        json(#"{"kind":"RoleBinding","metadata":{"name":"bob-pods","namespace":"team"},"roleRef":{"kind":"ClusterRole","name":"pod-reader"},"subjects":[{"kind":"User","name":"bob"}]}"#),
        json(#"{"kind":"RoleBinding","metadata":{"name":"carol-exec","namespace":"team"},"roleRef":{"kind":"Role","name":"pod-exec"},"subjects":[{"kind":"User","name":"carol"}]}"#),
        json(#"{"kind":"RoleBinding","metadata":{"name":"wrong-ns","namespace":"team"},"roleRef":{"kind":"Role","name":"everything"},"subjects":[{"kind":"User","name":"mallory"}]}"#),
        // Subject without namespace: defaults to the binding's namespace.
        json(#"{"kind":"RoleBinding","metadata":{"name":"builder","namespace":"team"},"roleRef":{"kind":"ClusterRole","name":"pod-reader"},"subjects":[{"kind":"ServiceAccount","name":"builder"}]}"#),
        json(#"{"kind":"RoleBinding","metadata":{"name":"ci","namespace":"team"},"roleRef":{"kind":"Role","name":"cm-reader"},"subjects":[{"kind":"ServiceAccount","name":"ci","namespace":"tools"}]}"#),
    ]

    let policy = RBACPolicy(clusterRoles: clusterRoles, clusterRoleBindings: clusterRoleBindings,
                            roles: roles, roleBindings: roleBindings)

    static func user(_ name: String, _ groups: [String] = ["system:authenticated"]) -> UserInfo {
        UserInfo(name: name, groups: groups)
    }

    /// A resource request; the path is not consulted for those.
    static func request(_ user: UserInfo, _ verb: String, _ resource: String, namespace: String? = nil,
                        group: String = "", subresource: String? = nil, name: String? = nil) -> RequestAttributes {
        RequestAttributes(user: user, verb: verb, isResourceRequest: true, path: "/", namespace: namespace,
                          apiGroup: group, apiVersion: "v1", resource: resource, subresource: subresource, name: name)
    }

    static func nonResource(_ user: UserInfo, _ verb: String, _ path: String) -> RequestAttributes {
        RequestAttributes(user: user, verb: verb, isResourceRequest: false, path: path)
    }

    @Test func kubeadmClusterAdminsGroupIsClusterAdmin() {
        let admin = Self.user("kubernetes-admin", ["kubeadm:cluster-admins", "system:authenticated"])
        let decision = policy.authorize(Self.request(admin, "delete", "deployments", namespace: "kube-system", group: "apps", name: "x"))
        #expect(decision.allowed)
        #expect(decision.reason == #"RBAC: allowed by ClusterRoleBinding "kubeadm:cluster-admins" of ClusterRole "cluster-admin" to Group "kubeadm:cluster-admins""#)
        #expect(policy.authorize(Self.request(admin, "list", "nodes")).allowed)
        #expect(policy.authorize(Self.nonResource(admin, "get", "/metrics")).allowed)
    }

    @Test func systemMastersIsSuperuser() {
        // Allowed even by an empty policy: the group is checked before RBAC.
        let empty = RBACPolicy(clusterRoles: [], clusterRoleBindings: [], roles: [], roleBindings: [])
        let master = Self.user("kubernetes-super-admin", ["system:masters", "system:authenticated"])
        #expect(empty.authorize(Self.request(master, "deletecollection", "secrets", namespace: "kube-system")).allowed)
        #expect(empty.authorize(Self.nonResource(master, "post", "/anything")).allowed)
    }

    @Test func roleBindingGrantsOnlyInItsNamespace() {
        let alice = Self.user("alice")
        #expect(policy.authorize(Self.request(alice, "get", "configmaps", namespace: "team", name: "c")).allowed)
        let allowed = policy.authorize(Self.request(alice, "list", "configmaps", namespace: "team"))
        #expect(allowed.allowed)
        #expect(allowed.reason == #"RBAC: allowed by RoleBinding "alice-cm/team" of Role "cm-reader" to User "alice""#)
        #expect(!policy.authorize(Self.request(alice, "get", "configmaps", namespace: "default", name: "c")).allowed)
        #expect(!policy.authorize(Self.request(alice, "list", "configmaps")).allowed, "cluster-wide list")
        #expect(!policy.authorize(Self.request(alice, "delete", "configmaps", namespace: "team", name: "c")).allowed)
        #expect(!policy.authorize(Self.request(alice, "get", "configmaps", namespace: "team", group: "apps", name: "c")).allowed)
        // Bob's RoleBinding to a ClusterRole still only works in "team".
        let bob = Self.user("bob")
        #expect(policy.authorize(Self.request(bob, "watch", "pods", namespace: "team")).allowed)
        #expect(!policy.authorize(Self.request(bob, "watch", "pods", namespace: "default")).allowed)
        #expect(!policy.authorize(Self.request(bob, "watch", "pods")).allowed)
    }

    @Test func roleOfAnotherNamespaceIsNotFound() {
        let decision = policy.authorize(Self.request(Self.user("mallory"), "get", "secrets", namespace: "team", name: "s"))
        #expect(!decision.allowed)
        #expect(decision.reason == #"RBAC: role.rbac.authorization.k8s.io "everything" not found"#)
    }

    @Test func missingClusterRoleGrantsNothing() {
        let decision = policy.authorize(Self.request(Self.user("dangler"), "get", "pods", namespace: "team", name: "p"))
        #expect(!decision.allowed)
        #expect(decision.reason == #"RBAC: clusterrole.rbac.authorization.k8s.io "does-not-exist" not found"#)
        #expect(policy.authorize(Self.request(Self.user("nobody"), "get", "pods", namespace: "team", name: "p")).reason == "")
    }

    @Test func resourceNamesRestrictToNamedObjects() {
        let alice = Self.user("alice")
        #expect(policy.authorize(Self.request(alice, "get", "secrets", namespace: "team", name: "db-password")).allowed)
        #expect(policy.authorize(Self.request(alice, "update", "secrets", namespace: "team", name: "db-password")).allowed)
        #expect(!policy.authorize(Self.request(alice, "get", "secrets", namespace: "team", name: "other")).allowed)
        // No name in the request (list, create): a name-restricted rule cannot match.
        #expect(!policy.authorize(Self.request(alice, "get", "secrets", namespace: "team")).allowed)
    }

    @Test func subresourcesNeedTheirOwnRules() {
        let bob = Self.user("bob")
        #expect(policy.authorize(Self.request(bob, "get", "pods", namespace: "team", name: "p")).allowed)
        #expect(!policy.authorize(Self.request(bob, "get", "pods", namespace: "team", subresource: "log", name: "p")).allowed)
        #expect(!policy.authorize(Self.request(bob, "create", "pods", namespace: "team", subresource: "exec", name: "p")).allowed)
        let carol = Self.user("carol")
        #expect(policy.authorize(Self.request(carol, "create", "pods", namespace: "team", subresource: "exec", name: "p")).allowed)
        #expect(!policy.authorize(Self.request(carol, "get", "pods", namespace: "team", name: "p")).allowed)
        // "*/status" matches any resource's status subresource, and only that.
        let watcher = Self.user("watcher")
        #expect(policy.authorize(Self.request(watcher, "get", "deployments", namespace: "x", group: "apps", subresource: "status", name: "d")).allowed)
        #expect(!policy.authorize(Self.request(watcher, "get", "deployments", namespace: "x", group: "apps", name: "d")).allowed)
        #expect(!policy.authorize(Self.request(watcher, "get", "deployments", namespace: "x", group: "apps", subresource: "scale", name: "d")).allowed)
    }

    @Test func nonResourceURLs() {
        let anonymous = UserInfo(name: "system:anonymous", groups: ["system:unauthenticated"])
        #expect(policy.authorize(Self.nonResource(anonymous, "get", "/healthz")).allowed)
        #expect(policy.authorize(Self.nonResource(anonymous, "get", "/version")).allowed)
        #expect(!policy.authorize(Self.nonResource(anonymous, "post", "/healthz")).allowed)
        #expect(!policy.authorize(Self.nonResource(anonymous, "get", "/healthz/etcd")).allowed)
        #expect(!policy.authorize(Self.nonResource(anonymous, "get", "/api")).allowed)
        let alice = Self.user("alice")
        #expect(policy.authorize(Self.nonResource(alice, "get", "/healthz")).allowed)
        // Prefix rules: "/apis/*" covers everything below /apis/.
        #expect(policy.authorize(Self.nonResource(alice, "get", "/apis/apps/v1")).allowed)
        #expect(policy.authorize(Self.nonResource(alice, "get", "/api")).allowed)
        #expect(!policy.authorize(Self.nonResource(alice, "get", "/metrics")).allowed)
        // A resource rule never grants a non-resource URL and vice versa.
        #expect(!policy.authorize(Self.nonResource(Self.user("bob"), "get", "/pods")).allowed)
    }

    @Test func serviceAccountSubjects() {
        let builder = UserInfo(name: "system:serviceaccount:team:builder",
                               groups: ["system:serviceaccounts", "system:serviceaccounts:team", "system:authenticated"])
        let decision = policy.authorize(Self.request(builder, "list", "pods", namespace: "team"))
        #expect(decision.allowed)
        #expect(decision.reason == #"RBAC: allowed by RoleBinding "builder/team" of ClusterRole "pod-reader" to ServiceAccount "builder/team""#)
        // Same name, other namespace: a different account.
        let impostor = UserInfo(name: "system:serviceaccount:other:builder", groups: ["system:authenticated"])
        #expect(!policy.authorize(Self.request(impostor, "list", "pods", namespace: "team")).allowed)
        // Explicit subject namespace differing from the binding's.
        let ci = UserInfo(name: "system:serviceaccount:tools:ci", groups: ["system:authenticated"])
        #expect(policy.authorize(Self.request(ci, "get", "configmaps", namespace: "team", name: "c")).allowed)
        #expect(!policy.authorize(Self.request(ci, "get", "configmaps", namespace: "tools", name: "c")).allowed)
        // A ServiceAccount subject without namespace in a ClusterRoleBinding matches nobody.
        let defaultSA = UserInfo(name: "system:serviceaccount:default:default", groups: ["system:authenticated"])
        #expect(!policy.authorize(Self.request(defaultSA, "get", "pods", namespace: "default", name: "p")).allowed)
    }

    @Test func ruleMatchingHelpers() {
        let rule = PolicyRule(verbs: ["get"], nonResourceURLs: ["/logs**"])
        #expect(rule.matchesNonResourceURL("/logs/kube.log"))
        #expect(rule.matchesNonResourceURL("/logs"))
        #expect(!rule.matchesNonResourceURL("/log"))
        #expect(RBACPolicy.aggregate(["a", "b", "a"]) == "[a, b]")
        #expect(RBACPolicy.aggregate(["a", "a"]) == "a")
    }
}
