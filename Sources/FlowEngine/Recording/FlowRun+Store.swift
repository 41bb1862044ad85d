import FlowBasics
import FlowGraph
import FlowRuntime
import FlowStore
import LocalExecution
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// What a run records of itself besides its tasks: the run with its spec, steps, environments
/// and code at its start, and why it failed at its end.
extension FlowRun {
    /// Records the run, its steps and its code; the run id is what the user sees first.
    func begin(_ store: StoreWriter, params stored: [String: ArtifactRef], python: PythonEnvironment,
               code: CodeSnapshot, fingerprints: [String: StepFingerprint]) throws -> RunID {
        let specBytes = Array((try? Data(contentsOf: URL(fileURLWithPath: request.specPath))) ?? Data())
        let run = try store.beginRun(NewRun(
            flow: request.plan.flowName, project: request.spec.project?.value, params: stored, tags: request.options.tags,
            specPath: request.specPath, specBlob: try store.writeRawBlob(specBytes),
            pythonVersion: python.version, pythonExecutable: python.executable,
            originRun: request.resume?.run, resumeFrom: request.resume?.from))
        try recordSteps(of: run, in: store, fingerprints: fingerprints)
        try store.recordEnvironments(run: run, request.environments.entries.map(\.stored))
        for (file, bytes) in code.files {
            try store.recordCodeFile(run: run, path: file.path, bytes: bytes, module: file.module)
        }
        return run
    }

    private func recordSteps(of run: RunID, in store: StoreWriter, fingerprints: [String: StepFingerprint]) throws {
        let plan = request.plan
        for (position, name) in plan.order.enumerated() {
            guard let planned = plan[name] else { continue }
            try store.recordStep(run: run, name: name, position: position, kind: planned.kind.rawValue, isEnd: planned.isLast,
                                 inLoop: plan.loopingSteps.contains(name), report: planned.report)
            if let fingerprint = fingerprints[name] {
                try store.recordStepIdentity(run: run, step: name, fingerprint: fingerprint.hash, parts: fingerprint.json.jsonText)
            }
        }
    }

    /// Why the run failed, as `inspect` shows it: `TASK: error` for each failure, the
    /// scheduler's own included (a fan-out too wide, a join that never ran), which no task's
    /// attempt records.
    func failure(_ outcome: RunOutcome) -> String? {
        guard outcome.status == .failed else { return nil }
        return outcome.failures.map { "\(request.plan.path(of: $0.key)): \($0.failure.summary)" }.joined(separator: "\n")
    }
}

extension RunStatus {
    init(_ status: RunOutcome.Status) {
        switch status {
        case .completed: self = .completed
        case .failed: self = .failed
        case .interrupted: self = .interrupted
        }
    }
}
