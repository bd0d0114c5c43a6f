import ArgumentParser

/// `ketch completion bash|zsh|fish`: the shell completion script, as kubectl and etcdctl offer.
struct CompletionCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "completion",
        abstract: "Output shell completion code for the specified shell (bash, zsh or fish).",
        discussion: """
            Load it in the current shell, e.g. for bash:

              source <(ketch completion bash)

            or install it: ketch completion zsh > "${fpath[1]}/_ketch"
            """
    )

    @Argument(help: "The shell: bash, zsh or fish.")
    var shell: String

    func run() throws {
        guard let kind = CompletionShell(rawValue: shell) else {
            throw ValidationError("unsupported shell type \"\(shell)\": use bash, zsh or fish")
        }
        print(KetchCommand.completionScript(for: kind))
    }
}
