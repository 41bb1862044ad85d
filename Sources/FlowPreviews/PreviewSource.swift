import FlowStore
import Glibc

/// Which interpreter previews an artifact: the one its step ran in (from the run's
/// environments), so a value of a class only that environment has loads. A run recorded before
/// runs kept environments, or an interpreter gone since, falls back to the run's interpreter,
/// then to the `python3` on PATH.
public enum PreviewSource {
    public static func interpreter(forStep step: String?, of run: RunRecord, environments: [RunEnvironmentRecord]) -> String {
        let environment = step.flatMap { step in environments.first { $0.steps.contains(step) } } ?? environments.first
        for candidate in [environment?.pythonExecutable, run.pythonExecutable] {
            if let candidate, access(candidate, X_OK) == 0 { return candidate }
        }
        return "python3"
    }
}

extension PreviewMaker {
    /// The preview of an artifact as the store records it: made with the interpreter of the
    /// step of the task that produced it, and the code snapshot of that task's run.
    public func preview(of artifact: ArtifactRecord, from reader: StoreReader) -> Result<ValuePreview, PreviewFailure> {
        do {
            let task = try reader.task(artifact.task)
            let run = try reader.run(task.run.rawValue)
            let interpreter = PreviewSource.interpreter(forStep: task.step, of: run, environments: try reader.environments(of: run.id))
            return preview(of: artifact.value, interpreter: interpreter, run: run.id, code: try reader.codeSnapshot(of: run.id))
        } catch {
            return .failure(PreviewFailure("\(error)"))
        }
    }
}
