import FlowBasics
import FlowEngine
import FlowGraph
import FlowRuntime
import FlowStore
import LocalExecution
import Glibc
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// How `run` and `resume` show a run: the check's findings, the run's id, progress as its tasks
/// go (`RunProgress`), and the closing lines with the exit status.
final class RunConsole: FlowRunEvents {
    private let plan: ExecutionPlan
    /// The spec as the user named it, and its text, for the diagnostics.
    private let specArgument: String
    private let source: SourceText?
    private let whereStored: String?
    private let resume: ResumePlan?
    /// How to continue this run if it fails.
    private let resumeHint: ResumeHint
    private let interruption: Interruption
    private let progress: RunProgress
    let wantsOutput: Bool

    init(launch: FlowLaunch, request: RunRequest, resumeHint: ResumeHint, live: Bool, echo: RunProgress.Echo) {
        plan = request.plan
        specArgument = launch.specArgument
        source = launch.source
        whereStored = Self.whereStored(request)
        resume = request.resume
        self.resumeHint = resumeHint
        interruption = request.options.interruption
        progress = RunProgress(steps: plan.order, looping: plan.loopingSteps, live: live, echo: echo,
                               name: { [plan] in plan.path(of: $0) }, statusInterval: Self.statusInterval)
        wantsOutput = echo != .quiet
    }

    /// Seconds between lines of counts off a terminal: `$FLOWSPEC_PROGRESS_INTERVAL`, else 10.
    private static var statusInterval: Double {
        ProcessInfo.processInfo.environment["FLOWSPEC_PROGRESS_INTERVAL"].flatMap(Double.init).flatMap { $0 > 0 ? $0 : nil }
            ?? RunProgress.defaultStatusInterval
    }

    /// Where the store is, unless the run is the plain case of a spec and its `.flowspec` both in
    /// the current folder: from elsewhere, the readers need `--store` to find the run.
    private static func whereStored(_ request: RunRequest) -> String? {
        let here = UserPath.currentFolder
        guard request.storePath != UserPath.absolute(".flowspec", from: here) || request.specFolder != here else { return nil }
        return "store: \(request.storePath)\n"
    }

    // MARK: As the run goes

    func checked(_ diagnostics: [Diagnostic]) {
        let renderer = TextRenderer(sources: source.map { [$0] } ?? [], color: Terminal.wantsColor(fileDescriptor: 2))
        Terminal.writeError(renderer.render(diagnostics))
    }

    func began(_ run: RunID) {
        Terminal.write("\(plan.flowName)/\(run)\n")
        if let whereStored { Terminal.writeError(whereStored) }
        if let resume {
            Terminal.writeError("resuming \(plan.flowName)/\(resume.run)"
                + (resume.from.map { " from '\($0)'" } ?? "") + ": "
                + (resume.reused.isEmpty ? "nothing completed there to take" : "taking what completed there (\(resume.reusableSummary))")
                + " where keys still match; running the rest\n")
        }
    }

    func taskQueued(_ key: TaskKey) { progress.taskQueued(key) }
    func taskStarted(_ key: TaskKey, parents: [TaskKey], attempt: Int) { progress.taskStarted(key, parents: parents, attempt: attempt) }
    func taskFinished(_ key: TaskKey, _ result: TaskResult) { progress.taskFinished(key, result) }
    func taskReused(_ key: TaskKey, parents: [TaskKey], from origin: ReusedTask, identity: TaskIdentity) {
        progress.taskReused(key, parents: parents, from: origin, identity: identity)
    }
    func taskCaught(_ key: TaskKey, _ outputs: [String: ArtifactRef]) { progress.taskCaught(key, outputs) }
    func printed(_ key: TaskKey, _ stream: PrintedStream, _ text: String) { progress.printed(key, stream, text) }
    func tasksEnded() { progress.finish() }
    func taskPending(_ key: TaskKey, _ pending: Bool) { progress.taskPending(key, pending) }

    // MARK: The end

    /// The closing lines, and the command's exit status.
    func exitStatus(_ outcome: FlowRunOutcome) -> Int32 {
        switch outcome {
        case .notStarted(.noInterpreter):
            return 1
        case .notStarted(.checkUnavailable(let reason)):
            Terminal.writeError("error: cannot check the steps' Python before the run: \(reason)\n"
                + "\(specArgument): nothing ran (--no-check skips this check)\n")
            return 1
        case .notStarted(.checkFailed(let errors)):
            Terminal.writeError("\(specArgument): \(counted(errors, "error")) in the steps' Python; nothing ran\n")
            return 1
        case .failed(let reason):
            Terminal.writeError("error: \(reason)\n")
            return 1
        case .finished(let finished):
            return report(finished)
        }
    }

    /// How long it took, or which tasks failed and why.
    private func report(_ finished: FinishedRun) -> Int32 {
        let outcome = finished.outcome, run = "\(plan.flowName)/\(finished.run)"
        let duration = Self.duration(finished.seconds)
        let resume = "to continue it: " + resumeHint.command(for: run) + "\n"
        if outcome.status == .interrupted {
            Terminal.writeError("\n■ \(run) interrupted after \(duration); what finished is kept\n" + resume)
            return 128 + (interruption.signal ?? SIGINT)
        }
        guard outcome.status == .failed else {
            Terminal.writeError("✓ \(run) completed in \(duration): \(counted(outcome.tasksRun, "task"))\n")
            return 0
        }
        for (key, failure) in outcome.failures {
            var text = "\n✗ task \(plan.path(of: key)) failed"
            text += ": \(failure.summary)\n"
            if !failure.traceback.isEmpty { text += failure.traceback.hasSuffix("\n") ? failure.traceback : failure.traceback + "\n" }
            Terminal.writeError(text)
        }
        Terminal.writeError("\n✗ \(run) failed after \(duration)\n" + resume)
        return 1
    }

    static func duration(_ seconds: Double) -> String {
        seconds < 60 ? "\(Double(Int(seconds * 100)) / 100)s" : "\(Int(seconds) / 60)m\(Int(seconds) % 60)s"
    }
}
