import FlowBasics
import FlowGraph
import FlowRuntime
import WorkerProtocol

/// The check a run makes before its first task (what `lint --deep` checks), in the run's own
/// environments and by the workers it then uses: a spec whose Python cannot work stops the run
/// before anything runs or is stored.
extension DeepCheck {
    init(request: RunRequest) {
        self.init(plan: request.plan, spec: request.spec, specFolder: request.specFolder, environments: request.environments)
    }

    /// The findings, errors and warnings, sorted; thrown when a worker could not check at all.
    func diagnostics(using executor: any RunExecutor) async throws(TaskFailure) -> [Diagnostic] {
        var findings: [CheckFinding] = []
        for batch in batches {
            findings += try await executor.check(batch.steps, in: batch.python)
        }
        return diagnostics(findings).sorted()
    }
}
