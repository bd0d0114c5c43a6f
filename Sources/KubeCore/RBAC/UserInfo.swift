/// Who is asking: the authenticated user as Kubernetes' authorizers see it.
public struct UserInfo: Sendable, Hashable {
    /// The user name: a client certificate's CN, `system:serviceaccount:<ns>:<name>`, or
    /// `system:anonymous`.
    public var name: String
    /// Groups: a certificate's O values, plus `system:authenticated`.
    public var groups: [String]
    /// The user's UID, when the authenticator knows one (service accounts).
    public var uid: String?

    /// Creates a user.
    public init(name: String, groups: [String], uid: String? = nil) {
        self.name = name
        self.groups = groups
        self.uid = uid
    }
}
