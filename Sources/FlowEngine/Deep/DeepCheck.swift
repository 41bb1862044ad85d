import FlowBasics
import FlowGraph
import FlowRuntime
import FlowSpec
import LocalExecution
import WorkerProtocol
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// What `lint --deep` checks, and `run`, `resume` and `plan` before anything runs: every step's
/// function is found and its parameters bind. Each step is checked in its own environment, by
/// a worker of that environment reading the sources (a `check` request): nothing is imported
/// and no user code runs. A step whose environment is not built yet (or cannot be used) is not
/// checked, and says so as a warning.
public struct DeepCheck: Sendable {
    /// Why the check could not be made at all (no Python, a worker that died).
    public struct Unavailable: Error, CustomStringConvertible {
        public let description: String
    }

    /// The steps of one environment, checked by one of its workers in one request.
    public struct Batch: Sendable {
        public let python: PythonEnvironment
        public let steps: [CheckRequest.Step]
    }

    public let batches: [Batch]
    /// A warning for each step with a `run` whose environment cannot be looked in.
    public let unchecked: [Diagnostic]
    /// The steps with a `run`, as written, for where findings point.
    private let steps: [String: Step]
    private let plan: ExecutionPlan

    public init(plan: ExecutionPlan, spec: Spec, specFolder: String, environments: RunEnvironments) {
        self.plan = plan
        var steps: [String: Step] = [:]
        var requests: [StepEnvironment: [CheckRequest.Step]] = [:]
        var unchecked: [Diagnostic] = []
        for name in plan.order {
            guard let planned = plan[name], let function = planned.function, let step = spec.step(named: name),
                  let run = step.run else { continue }
            steps[name] = step
            let entry = environments.entry(for: planned.environment)
            guard entry?.python != nil else {
                unchecked.append(Self.notChecked(step, entry: entry, at: run.span))
                continue
            }
            let folder = { (path: String) in UserPath.absolute(path, from: specFolder) }
            requests[planned.environment, default: []].append(CheckRequest.Step(
                step: name, function: FunctionRef(function, resolvingPath: folder),
                path: planned.importRoots.map(folder) + [specFolder],
                visible: planned.visibleNames.map { $0.sorted() } ?? [],
                bound: planned.literals.map(\.parameter) + planned.args.map(\.parameter)))
        }
        batches = environments.entries.compactMap { entry in
            guard let python = entry.python, let steps = requests[entry.source] else { return nil }
            return Batch(python: python, steps: steps)
        }
        self.unchecked = unchecked
        self.steps = steps
    }

    /// For `lint --deep`: each step's environment as `run` with `store` would find it, for
    /// workers built against Python `builtAgainst`.
    public init(plan: ExecutionPlan, spec: Spec, store: String, builtAgainst: String) {
        let folder = UserPath.parent(of: UserPath.absolute(spec.file))
        self.init(plan: plan, spec: spec, specFolder: folder,
                  environments: RunEnvironments(plan: plan, specFolder: folder, store: store, builtAgainst: builtAgainst))
    }

    /// `lint --deep` and `plan`: each batch in a worker started for it; the findings with the
    /// unchecked steps' warnings.
    public func diagnostics() throws(Unavailable) -> [Diagnostic] {
        var findings: [CheckFinding] = []
        for batch in batches { findings += try Self.ask(batch) }
        return diagnostics(findings)
    }

    /// The findings as diagnostics at the `run:` value or the `args`/`with` entry, with the
    /// unchecked steps' warnings.
    public func diagnostics(_ findings: [CheckFinding]) -> [Diagnostic] {
        unchecked + findings.compactMap { finding in
            guard let step = steps[finding.step] else { return nil }
            if finding.kind == .parameter, plan[finding.step]?.visibleNames == nil { return nil }
            return DeepFinding(finding, step: step).diagnostic
        }
    }

    private static func ask(_ batch: Batch) throws(Unavailable) -> [CheckFinding] {
        let worker: WorkerProcess
        do {
            worker = try WorkerProcess(environment: batch.python)
        } catch {
            throw Unavailable(description: "cannot start a Python worker: \(error)")
        }
        defer { worker.shutDown() }
        let response: WorkerResponse
        do {
            response = try worker.send(.check(CheckRequest(id: 1, steps: batch.steps)))
        } catch {
            throw Unavailable(description: "the Python worker failed: \(error)")
        }
        if let error = response.error {
            throw Unavailable(description: "the Python worker failed: \(error.message)\n\(error.traceback)")
        }
        return response.findings ?? []
    }

    private static func notChecked(_ step: Step, entry: RunEnvironments.Entry?, at span: SourceSpan) -> Diagnostic {
        let name = step.name.value
        guard let entry, entry.problem == nil, case .requirements(let list) = entry.source else {
            return Diagnostic(DiagnosticCode.environmentNotChecked, at: span,
                              "step '\(name)' not checked: \(entry?.problem ?? "its environment cannot be used")")
        }
        return Diagnostic(DiagnosticCode.environmentNotChecked, at: span,
                          "step '\(name)' not checked: environment not built yet (python.requirements: \(list.joined(separator: ", ")))",
                          hint: "`flowspec run` builds it in \(entry.folder ?? "the store") first, and checks the step there before any task runs")
    }
}
