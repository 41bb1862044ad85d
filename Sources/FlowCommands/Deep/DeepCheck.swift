import FlowBasics
import FlowGraph
import FlowRuntime
import FlowSpec
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// `lint --deep`: finds every step's function and checks that its parameters bind, by asking a
/// worker of the flow's Python to read the sources (a `check` request). No user code runs.
struct DeepCheck {
    /// Why the check could not be made at all (no Python, a worker that died).
    struct Unavailable: Error, CustomStringConvertible {
        let description: String
    }

    let spec: Spec
    let specFolder: String

    init(spec: Spec) {
        self.spec = spec
        let absolute = URL(fileURLWithPath: spec.file, relativeTo: URL(fileURLWithPath: FileManager.default.currentDirectoryPath))
        specFolder = absolute.standardized.deletingLastPathComponent().path
    }

    /// The findings, as diagnostics at the `run:` value or the `args`/`with` entry.
    func diagnostics() throws(Unavailable) -> [Diagnostic] {
        guard let plan = ExecutionPlan(spec: spec) else { return [] }
        let graph = StepGraph(spec: spec)
        let visible = VisibleNames(graph: graph)
        var checked: [String: Step] = [:]
        var requests: [CheckRequest.Step] = []
        for name in plan.order {
            guard let step = graph.step(name), let run = step.run else { continue }
            checked[name] = step
            requests.append(CheckRequest.Step(
                step: name, function: function(run.value), path: plan.importRoots(of: step).map(absolute) + [specFolder],
                visible: (visible.names[name] ?? nil).map { $0.sorted() } ?? [],
                bound: step.with.map(\.parameter.value) + step.args.map(\.parameter.value)))
        }
        guard !requests.isEmpty else { return [] }
        let findings = try ask(CheckRequest(id: 1, steps: requests))
        return findings.compactMap { finding in
            guard let step = checked[finding.step] else { return nil }
            if finding.kind == .parameter, visible.names[finding.step] ?? nil == nil { return nil }
            return diagnostic(finding, step: step)
        }
    }

    private func ask(_ request: CheckRequest) throws(Unavailable) -> [CheckFinding] {
        let worker: WorkerProcess
        do {
            worker = try WorkerProcess(environment: try PythonEnvironment.discover(executable: interpreter))
        } catch {
            throw Unavailable(description: "cannot start a Python worker: \(error)")
        }
        defer { worker.shutDown() }
        let response: WorkerResponse
        do {
            response = try worker.send(.check(request))
        } catch {
            throw Unavailable(description: "the Python worker failed: \(error)")
        }
        if let error = response.error {
            throw Unavailable(description: "the Python worker failed: \(error.message)\n\(error.traceback)")
        }
        return response.findings ?? []
    }

    /// The flow's interpreter: its `python.venv`'s, else `python3` on PATH (as `run` chooses).
    private var interpreter: String {
        guard let venv = spec.python?.venv?.value else { return "python3" }
        return absolute(venv) + "/bin/python3"
    }

    private func function(_ target: RunTarget) -> FunctionRef {
        switch target.source {
        case .module(let name): FunctionRef(kind: .module, source: name, name: target.function)
        case .file(let path): FunctionRef(kind: .file, source: absolute(path), name: target.function)
        case .notebook(let path): FunctionRef(kind: .notebook, source: absolute(path), name: target.function)
        }
    }

    private func absolute(_ path: String) -> String {
        path.hasPrefix("/") ? path : URL(fileURLWithPath: specFolder).appendingPathComponent(path).standardized.path
    }

    private func diagnostic(_ finding: CheckFinding, step: Step) -> Diagnostic? {
        guard let run = step.run else { return nil }
        let name = run.value.function
        switch finding.kind {
        case .source:
            return Diagnostic(DiagnosticCode.sourceNotFound, at: run.span, finding.message,
                              hint: "paths are relative to the spec's folder; modules are found on python.path and in the environment")
        case .function:
            return Diagnostic(DiagnosticCode.functionNotFound, at: run.span, finding.message)
        case .parameter:
            let parameter = finding.parameter ?? "?"
            return Diagnostic(DiagnosticCode.parameterUnbound, at: run.span, finding.message,
                              hint: "bind it with 'args: {\(parameter): NAME}' or 'with: {\(parameter): VALUE}', or give it a default in Python",
                              notes: note(finding, name: name))
        case .unknownParameter:
            let parameter = finding.parameter ?? ""
            let span = step.args.first { $0.parameter.value == parameter }?.parameter.span
                ?? step.with.first { $0.parameter.value == parameter }?.parameter.span ?? run.span
            return Diagnostic(DiagnosticCode.unknownParameter, at: span, finding.message, notes: note(finding, name: name))
        }
    }

    /// Where the function is defined: a `.py` file's line as a place of its own, a notebook's
    /// cell and line in words.
    private func note(_ finding: CheckFinding, name: String) -> [DiagnosticNote] {
        guard let file = finding.file, let line = finding.line else { return [] }
        let shown = Self.relative(file)
        if let cell = finding.cell {
            return [DiagnosticNote("'\(name)' is defined in \(shown), cell \(cell), line \(line)")]
        }
        return [DiagnosticNote("'\(name)' is defined here", at: .point(shown, line: line))]
    }

    /// A path relative to the current folder when it is inside it.
    static func relative(_ path: String) -> String {
        let here = FileManager.default.currentDirectoryPath
        let prefix = here.hasSuffix("/") ? here : here + "/"
        return path.hasPrefix(prefix) ? String(path.dropFirst(prefix.count)) : path
    }
}
