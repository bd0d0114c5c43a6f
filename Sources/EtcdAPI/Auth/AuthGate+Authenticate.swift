import KetchStore

extension AuthGate {
    /// etcd's Authenticate: checks a user's password and issues a simple token.
    ///
    /// The slow hash comparison runs off the cooperative pool and outside every lock; the
    /// token is issued only if the user and password are still the ones checked (etcd retries
    /// on a changed auth revision for the same reason).
    func authenticate(name: String, password: String) async throws -> String {
        let store = try available()
        guard store.isEnabled else { throw AuthError.authNotEnabled }
        guard let user = store.snapshot.state.users[name] else { throw AuthError.authFailed }
        guard !user.noPassword, let hash = user.passwordHash else { throw AuthError.noPasswordUser }
        let matches = try await PasswordHash.offPool { PasswordHash.verify(password, against: hash) }
        guard matches else { throw AuthError.authFailed }
        let token = tokens.assign(to: name) {
            let state = store.snapshot.state
            return state.isEnabled && state.users[name]?.passwordHash == hash
        }
        guard let token else { throw AuthError.authFailed }
        return token
    }
}
