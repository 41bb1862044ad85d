import FlowBasics
import FlowEngine
import FlowRuntime
import LocalExecution
import WorkerProtocol

/// The check `run` and `resume` make before the first task (what `lint --deep` checks), in the
/// workers the run then uses: a spec whose Python cannot work stops the command before anything
/// runs or is stored. `--no-check` skips it.
struct PreRunCheck: Sendable {
    let check: DeepCheck
    /// The spec as the user named it, and its text, for the diagnostics.
    let specArgument: String
    let source: SourceText?

    init(launch: FlowLaunch) {
        check = DeepCheck(launch: launch)
        specArgument = launch.specArgument
        source = launch.source
    }

    /// Whether the run may start; the diagnostics (errors and warnings) go to stderr.
    func passes(using executor: LocalExecutor) async -> Bool {
        var findings: [CheckFinding] = []
        for batch in check.batches {
            do {
                findings += try await executor.check(batch.steps, in: batch.python)
            } catch {
                Terminal.writeError("error: cannot check the steps' Python before the run: \(error.message)\n"
                    + "\(specArgument): nothing ran (--no-check skips this check)\n")
                return false
            }
        }
        let diagnostics = check.diagnostics(findings).sorted()
        let renderer = TextRenderer(sources: source.map { [$0] } ?? [], color: Terminal.wantsColor(fileDescriptor: 2))
        Terminal.writeError(renderer.render(diagnostics))
        guard !diagnostics.hasErrors else {
            let errors = diagnostics.count { $0.severity == .error }
            Terminal.writeError("\(specArgument): \(counted(errors, "error")) in the steps' Python; nothing ran\n")
            return false
        }
        return true
    }
}
