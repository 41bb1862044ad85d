import FlowBasics
import FlowEngine
import FlowGraph
import FlowRuntime
import FlowSpec
import FlowStore
import Glibc
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

import LocalExecution
/// One `flowspec run`, from stored params to the summary line. Built from plain values so it
/// can cross into the async world; everything with state is made inside `execute`.
struct RunSession: Sendable {
    let specPath: String
    let spec: Spec
    let plan: ExecutionPlan
    let params: [String: ParamInput]
    let environments: RunEnvironments
    let storePath: String
    /// How to continue this run if it fails.
    let resumeHint: ResumeHint
    let maxWorkers: Int
    let resourceLimits: ResourceLimits
    let maxSplits: Int
    let tags: [String]
    let live: Bool
    let echo: RunProgress.Echo
    let interruption: Interruption
    /// Set for `resume`: the run whose finished tasks are taken rather than run again.
    var origin: ResumePlan? = nil
    /// The steps' Python checked before anything is stored; nil with `--no-check`.
    var check: PreRunCheck? = nil

    var specFolder: String { UserPath.parent(of: specPath) }

    /// Seconds between lines of counts off a terminal: `$FLOWSPEC_PROGRESS_INTERVAL`, else 10.
    private var statusInterval: Double {
        ProcessInfo.processInfo.environment["FLOWSPEC_PROGRESS_INTERVAL"].flatMap(Double.init).flatMap { $0 > 0 ? $0 : nil }
            ?? RunProgress.defaultStatusInterval
    }

    /// Runs the flow; returns the exit status.
    func execute() async -> Int32 {
        let started = Date()
        let interpreters = environments.interpreters
        guard let main = interpreters[environments.main] else { return 1 }
        let progress = RunProgress(steps: plan.order, looping: plan.loopingSteps, live: live, echo: echo,
                                   name: { [plan] in plan.path(of: $0) }, statusInterval: statusInterval)
        let snapshot = CodeSnapshot(plan: plan, specFolder: specFolder)
        let executor = LocalExecutor(environments: interpreters, main: main, store: storePath, specFolder: specFolder,
                                     maxWorkers: maxWorkers, printed: echo == .quiet ? nil : progress.printed,
                                     code: snapshot.refs + (origin?.code ?? []))
        stopOnInterruption(executor)
        if let check, !(await check.passes(using: executor)) {
            await executor.shutDown()
            return 1
        }
        do {
            let store = try StoreWriter(path: storePath)
            _ = try? store.markInterruptedRuns()
            store.removeAbandonedTemporaryFiles()
            var stored = origin?.params ?? [:]
            if origin == nil { stored = try await executor.put(params) }
            let run = try begin(store, params: stored, python: main, code: snapshot)
            Terminal.write("\(plan.flowName)/\(run)\n")
            if let whereStored { Terminal.writeError(whereStored) }
            if let origin {
                Terminal.writeError("resuming \(plan.flowName)/\(origin.run)"
                    + (origin.from.map { " from '\($0)'" } ?? "") + ": reusing "
                    + (origin.reused.isEmpty ? "nothing" : origin.reusableSummary) + "; running the rest\n")
            }
            let origins = origin?.reused.mapValues(\.origin) ?? [:]
            let recorder = RunRecorder(store: store, run: run, origins: origins)
            var scheduler = Scheduler(plan: plan, executor: executor, maxWorkers: maxWorkers, maxSplits: maxSplits,
                                      callerEnvironment: ProcessInfo.processInfo.environment)
            scheduler.interruption = interruption
            scheduler.resourceLimits = resourceLimits
            if let reusable = origin?.reused.mapValues(\.outputs) {
                scheduler.reuse = { reusable[$0] }
            }
            let outcome = await scheduler.run(params: stored, observer: Observers([progress, recorder]))
            progress.finish()
            let problem = recorder.finish()
            try store.finishRun(run, status: Self.status(outcome.status), failure: failure(outcome))
            await executor.shutDown()
            if let problem { throw problem }
            return report(outcome, run: run, seconds: Date().timeIntervalSince(started))
        } catch let failure as TaskFailure {
            Terminal.writeError("error: \(failure.message)\n")
        } catch {
            Terminal.writeError("error: \(error)\n")
        }
        await executor.shutDown()
        return 1
    }

    /// A stop (Ctrl-C, SIGTERM) ends the running attempts, each failing as `interrupted`.
    private func stopOnInterruption(_ executor: LocalExecutor) {
        interruption.onRequest { [interruption] in
            let name = interruption.signal == SIGTERM ? "SIGTERM" : "Ctrl-C"
            Task { await executor.stopWorkers(reason: "the run was stopped (\(name)) while this attempt ran") }
        }
    }

    /// Records the run, its steps and its code; the run id is what the user sees first.
    private func begin(_ store: StoreWriter, params stored: [String: ArtifactRef], python: PythonEnvironment,
                       code: CodeSnapshot) throws -> RunID {
        let specBytes = Array((try? Data(contentsOf: URL(fileURLWithPath: specPath))) ?? Data())
        let run = try store.beginRun(NewRun(
            flow: plan.flowName, project: spec.project?.value, params: stored, tags: tags,
            specPath: specPath, specBlob: try store.writeRawBlob(specBytes),
            pythonVersion: python.version, pythonExecutable: python.executable,
            originRun: origin?.run, resumeFrom: origin?.from))
        for (position, name) in plan.order.enumerated() {
            guard let planned = plan[name] else { continue }
            try store.recordStep(run: run, name: name, position: position, kind: planned.kind, isEnd: planned.step.isLast,
                                 inLoop: plan.loopingSteps.contains(name))
        }
        try store.recordEnvironments(run: run, environments.entries.map(\.stored))
        for (file, bytes) in code.files {
            try store.recordCodeFile(run: run, path: file.path, bytes: bytes, module: file.module)
        }
        return run
    }

    /// Where the store is, unless the run is the plain case of a spec and its `.flowspec` both in
    /// the current folder: from elsewhere, the readers need `--store` to find the run.
    private var whereStored: String? {
        let here = UserPath.currentFolder
        guard storePath != UserPath.absolute(".flowspec", from: here) || specFolder != here else { return nil }
        return "store: \(storePath)\n"
    }

    /// The closing lines: how long it took, or which tasks failed and why.
    private func report(_ outcome: RunOutcome, run: RunID, seconds: Double) -> Int32 {
        let duration = Self.duration(seconds)
        let resume = "to continue it: " + resumeHint.command(for: "\(plan.flowName)/\(run)") + "\n"
        if outcome.status == .interrupted {
            Terminal.writeError("\n■ \(plan.flowName)/\(run) interrupted after \(duration); what finished is kept\n" + resume)
            return 128 + (interruption.signal ?? SIGINT)
        }
        guard outcome.status == .failed else {
            Terminal.writeError("✓ \(plan.flowName)/\(run) completed in \(duration): \(counted(outcome.tasksRun, "task"))\n")
            return 0
        }
        for (key, failure) in outcome.failures {
            var text = "\n✗ task \(plan.path(of: key)) failed"
            text += ": \(failure.summary)\n"
            if !failure.traceback.isEmpty { text += failure.traceback.hasSuffix("\n") ? failure.traceback : failure.traceback + "\n" }
            Terminal.writeError(text)
        }
        Terminal.writeError("\n✗ \(plan.flowName)/\(run) failed after \(duration)\n" + resume)
        return 1
    }

    /// Why the run failed, as `inspect` shows it: `TASK: error` for each failure, the
    /// scheduler's own included (a fan-out too wide, a join that never ran), which no task's
    /// attempt records.
    private func failure(_ outcome: RunOutcome) -> String? {
        guard outcome.status == .failed else { return nil }
        return outcome.failures.map { "\(plan.path(of: $0.key)): \($0.failure.summary)" }.joined(separator: "\n")
    }

    private static func status(_ status: RunOutcome.Status) -> RunStatus {
        switch status {
        case .completed: .completed
        case .failed: .failed
        case .interrupted: .interrupted
        }
    }

    static func duration(_ seconds: Double) -> String {
        seconds < 60 ? "\(Double(Int(seconds * 100)) / 100)s" : "\(Int(seconds) / 60)m\(Int(seconds) % 60)s"
    }
}
