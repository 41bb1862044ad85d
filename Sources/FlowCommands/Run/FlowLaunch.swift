import ArgumentParser
import Dispatch
import FlowBasics
import FlowEngine
import FlowGraph
import FlowRuntime
import FlowSpec
import FlowStore
import LocalExecution
import PythonBridge
import Glibc
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
    /// The spec as the user named it, and its text (for diagnostics).
    let specArgument: String
    let source: SourceText?
    /// Every step's Python environment; `requirements` ones built by `buildEnvironments()`.
    private(set) var environments: RunEnvironments
    /// The store's fence, held from the first look at the store until the run is recorded, so
    /// that `flowspec gc` removes nothing the run found there; nil while there is no store.
    private(set) var fence: StoreFence?
    /// The store's folder, as resolved.
    let store: String

    /// Checks the spec as `lint` does (findings to stderr) and finds every step's interpreter;
    /// a spec with errors ends the command with status 1, and so does a missing venv or a
    /// Python flowspec cannot embed unless `usableEnvironments` is false.
    /// `startsRun` takes the store's fence: `run` and `resume`, not `plan`.
    init(specArgument: String, store: String, usableEnvironments: Bool = true, startsRun: Bool = true) throws {
        let check = SpecCheck(path: specArgument)
        let renderer = TextRenderer(sources: check.loaded.source.map { [$0] } ?? [], color: Terminal.wantsColor(fileDescriptor: 2))
        Terminal.writeError(renderer.render(check.diagnostics))
        guard let parsed = check.spec, let plan = check.plan() else {
            Terminal.writeError("\(specArgument): \(counted(check.errorCount, "error")); nothing ran\n")
            throw CommandFailure.specFailed
        }
        spec = parsed
        self.plan = plan
        self.specArgument = specArgument
        source = check.loaded.source
        specPath = UserPath.absolute(specArgument)
        specFolder = UserPath.parent(of: specPath)
        self.store = store
        fence = startsRun ? StoreFence.shared(store: store, onWait: { Self.waitingForGc(store) }) : nil
        environments = RunEnvironments(plan: plan, specFolder: specFolder, store: store, builtAgainst: PythonBridge.headerVersion)
        guard environments.problems.isEmpty || !usableEnvironments else {
            for problem in environments.problems { Terminal.writeError("error: \(problem)\n") }
            Terminal.writeError("\(specArgument): \(counted(environments.problems.count, "environment")) cannot be used; nothing ran\n")
            throw CommandFailure.specFailed
        }
    }

    /// Builds the `requirements` environments not built yet, saying so on stderr; a failed
    /// build ends the command with status 1.
    mutating func buildEnvironments() throws {
        if fence == nil, environments.entries.contains(where: { $0.state == .notBuilt }) {
            fence = StoreFence.shared(store: store, creatingStore: true, onWait: { [store] in Self.waitingForGc(store) })
        }
        do {
            try environments.build { Terminal.writeError($0) }
        } catch {
            Terminal.writeError("error: \(error)\n")
            throw CommandFailure.specFailed
        }
    }

    private static func waitingForGc(_ store: String) {
        Terminal.writeError("waiting for `flowspec gc` to finish with the store at \(store)…\n")
    }

    /// The `-p NAME=VALUE` options checked against the spec's params; a wrong one ends the
    /// command with status 2.
    func paramValues(_ options: [String]) throws -> [String: ParamInput] {
        do {
            return try ParamValues(spec: spec, specFolder: specFolder, workingFolder: UserPath.currentFolder).resolve(options)
        } catch {
            Terminal.writeError("error: \(error.description)\n")
            throw CommandFailure.usage
        }
    }

    /// Runs the flow to its end, shown by `console`; a status other than 0 ends the command with it.
    static func execute(_ request: RunRequest, shownBy console: RunConsole) throws {
        let stopSignals = [SIGINT, SIGTERM].map { stopOnSignal($0, request.options.interruption) }
        let status = blocking { console.exitStatus(await FlowRun(request).execute(events: console)) }
        stopSignals.forEach { $0.cancel() }
        if status != 0 { throw CommandFailure(status: status) }
    }

    /// The first Ctrl-C or SIGTERM stops the run gracefully (workers stopped, the run recorded
    /// as interrupted, exit 128 + the signal: 130, 143); a second one exits at once.
    private static func stopOnSignal(_ number: Int32, _ interruption: Interruption) -> DispatchSourceSignal {
        signal(number, SIG_IGN)
        let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
        source.setEventHandler {
            if interruption.request(signal: number) == 1 {
                let again = number == SIGINT ? "Ctrl-C" : "SIGTERM"
                Terminal.writeError("\nstopping: the running tasks are stopped and the run is kept as interrupted (\(again) again to quit at once)\n")
            } else {
                _exit(128 + number)
            }
        }
        source.resume()
        return source
    }
}
