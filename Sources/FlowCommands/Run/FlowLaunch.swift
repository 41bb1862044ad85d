import ArgumentParser
import Dispatch
import FlowBasics
import FlowGraph
import FlowRuntime
import FlowSpec
#if canImport(Glibc)
import Glibc
#endif
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// What `run` and `resume` share: a checked spec and its plan, the interpreter, and running a
/// session with Ctrl-C handled.
struct FlowLaunch {
    let spec: Spec
    let plan: ExecutionPlan
    /// The spec's path, absolute, and its folder.
    let specPath: String
    let specFolder: String
    let python: PythonEnvironment

    /// Checks the spec as `lint` does (findings to stderr) and finds the interpreter; a spec
    /// with errors, or no usable Python, ends the command with status 1.
    init(specArgument: String) throws {
        let check = SpecCheck(path: specArgument)
        let renderer = TextRenderer(sources: check.loaded.source.map { [$0] } ?? [], color: Terminal.wantsColor(fileDescriptor: 2))
        Terminal.writeError(renderer.render(check.diagnostics))
        guard let parsed = check.spec, !check.diagnostics.hasErrors, let plan = ExecutionPlan(spec: parsed) else {
            Terminal.writeError("\(specArgument): \(counted(check.errorCount, "error")); nothing ran\n")
            throw CommandFailure.specFailed
        }
        for warning in UnappliedSettings.warnings(for: parsed) { Terminal.writeError(warning + "\n") }
        spec = parsed
        self.plan = plan
        specPath = URL(fileURLWithPath: specArgument, relativeTo: URL(fileURLWithPath: FileManager.default.currentDirectoryPath)).standardized.path
        specFolder = URL(fileURLWithPath: specPath).deletingLastPathComponent().path
        do {
            python = try PythonEnvironment.discover(executable: try Self.interpreter(parsed, specFolder: specFolder))
        } catch {
            Terminal.writeError("error: \(error)\n")
            throw CommandFailure.specFailed
        }
    }

    /// Runs the session to its end; a status other than 0 ends the command with it.
    static func execute(_ session: RunSession) throws {
        let stopOnCtrlC = stopOnCtrlC(session.interruption)
        let status = blocking { await session.execute() }
        stopOnCtrlC.cancel()
        if status != 0 { throw CommandFailure(status: status) }
    }

    /// The first Ctrl-C stops the run gracefully (workers stopped, the run recorded as
    /// interrupted, exit 130); a second one exits at once.
    private static func stopOnCtrlC(_ interruption: Interruption) -> DispatchSourceSignal {
        signal(SIGINT, SIG_IGN)
        let source = DispatchSource.makeSignalSource(signal: SIGINT, queue: .global())
        source.setEventHandler {
            if interruption.request() == 1 {
                Terminal.writeError("\nstopping: the running tasks are stopped and the run is kept as interrupted (Ctrl-C again to quit at once)\n")
            } else {
                _exit(130)
            }
        }
        source.resume()
        return source
    }

    /// The flow's interpreter: its `python.venv`'s, else the `python3` on PATH. Per-step
    /// environments are refused rather than silently ignored.
    private static func interpreter(_ spec: Spec, specFolder: String) throws -> String {
        let stepPython = spec.steps.compactMap(\.settings.python) + [spec.defaults.python].compactMap { $0 }
        if stepPython.contains(where: { $0.venv != nil || $0.requirements != nil }) || spec.python?.requirements != nil {
            throw ValidationError("python.requirements and per-step python.venv are not supported by this build yet; use a flow-level python.venv")
        }
        guard let venv = spec.python?.venv?.value else { return "python3" }
        let folder = venv.hasPrefix("/") ? venv : URL(fileURLWithPath: specFolder).appendingPathComponent(venv).path
        return folder + "/bin/python3"
    }
}
