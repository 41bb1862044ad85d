import FlowBasics
import FlowEngine
import FlowGraph
import FlowRuntime
import FlowSpec
import FlowStore
import LocalExecution
import Foundation

/// A spec in a folder of its own, with its store, and the requests to run it: a fan-out over
/// `n` items whose `work` fails for item 1 and, with `catches`, goes on without it.
struct Project {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("flowspec-engine-\(UUID())")
    var store: String { folder.appendingPathComponent(".flowspec").path }
    var specPath: String { folder.appendingPathComponent("tiny.yaml").path }
    let spec: Spec
    let plan: ExecutionPlan
    let environments: RunEnvironments

    init(catches: Bool = false) throws {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try "".write(toFile: folder.appendingPathComponent("steps.py").path, atomically: true, encoding: .utf8)
        (spec, plan) = try Self.plan(Self.text(catches: catches), at: folder.appendingPathComponent("tiny.yaml").path)
        environments = RunEnvironments(plan: plan, specFolder: folder.path, store: folder.appendingPathComponent(".flowspec").path,
                                       builtAgainst: try PythonEnvironment.discover().version)
    }

    private static func text(catches: Bool, first: String = "start") -> String {
        """
        flowspec: 1
        name: Tiny
        params:
          n: {type: int, default: 3}
        steps:
          \(first): {run: steps.py:items, args: {n: n}, outputs: items, next: work}
          work:
            foreach: items
            run: steps.py:work
            args: {x: item}
            outputs: y
            next: total\(catches ? "\n    catch: problem" : "")
          total: {join: true, run: steps.py:total, args: {ys: inputs.y}, outputs: total, next: end}
          end: {run: steps.py:done, args: {total: total}, outputs: result}

        """
    }

    private static func plan(_ text: String, at path: String) throws -> (Spec, ExecutionPlan) {
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        let loaded = SpecLoader.load(path: path)
        let lint = loaded.spec.map(LintedGraph.init(spec:))
        let findings = loaded.diagnostics + (lint?.findings ?? [])
        guard let spec = loaded.spec, let lint, !findings.hasErrors, lint.isPlannable else {
            throw ScriptedExecutor.Raised(message: "\(path) does not lint: \(findings)")
        }
        return (spec, ExecutionPlan(lint))
    }

    /// The plan of the same flow with its first step named `first`, as if the spec had been edited.
    func plan(renamingStartTo first: String) throws -> ExecutionPlan {
        try Self.plan(Self.text(catches: false, first: first), at: folder.appendingPathComponent("edited.yaml").path).1
    }

    func remove() { try? FileManager.default.removeItem(at: folder) }

    func request(_ inputs: RunRequest.Inputs = .params(["n": .json(.int(3))]), options: RunRequest.Options = .init()) -> RunRequest {
        RunRequest(spec: spec, plan: plan, specPath: specPath, environments: environments, inputs: inputs, storePath: store,
                   options: options)
    }

    /// The steps' functions; `work` fails for 1.
    static func executor() -> ScriptedExecutor {
        let executor = ScriptedExecutor()
        executor.define("items", ["n"]) { args in
            guard case .int(let n)? = args["n"] else { throw ScriptedExecutor.Raised(message: "n is not an int") }
            return .array((0..<n).map { .int($0) })
        }
        executor.define("work", ["x"]) { args in
            guard args["x"] != .int(1) else { throw ScriptedExecutor.Raised(message: "bad item 1") }
            return args["x"] ?? .null
        }
        executor.define("total", ["ys"]) { args in
            guard case .array(let ys)? = args["ys"] else { return .null }
            return .int(ys.reduce(0) { if case .int(let y) = $1 { $0 + y } else { $0 } })
        }
        executor.define("done", ["total"]) { args in args["total"] ?? .null }
        return executor
    }

    func run(_ inputs: RunRequest.Inputs = .params(["n": .json(.int(3))]), executor: ScriptedExecutor = Project.executor(),
             events: any FlowRunEvents = UnheardEvents(), options: RunRequest.Options = .init()) async -> FlowRunOutcome {
        await FlowRun(request(inputs, options: options), executor: { _ in executor }).execute(events: events)
    }

    var reader: StoreReader {
        get throws { try StoreReader(path: store) }
    }
}

/// What a run told its events, in order.
final class HeardEvents: FlowRunEvents, @unchecked Sendable {
    private let lock = NSLock()
    private var heard: [String] = []
    private(set) var diagnostics: [Diagnostic] = []

    var all: [String] { lock.withLock { heard } }

    private func hear(_ event: String) { lock.withLock { heard.append(event) } }

    func checked(_ diagnostics: [Diagnostic]) {
        lock.withLock { self.diagnostics = diagnostics }
        hear("checked \(diagnostics.count)")
    }
    func began(_ run: RunID) { hear("began") }
    func taskFinished(_ key: TaskKey, _ result: TaskResult) { hear("finished \(key)" + (result.failure == nil ? "" : " failed")) }
    func tasksEnded() { hear("ended") }
}
