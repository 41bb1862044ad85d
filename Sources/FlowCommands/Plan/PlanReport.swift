import FlowBasics
import FlowEngine
import FlowGraph
import FlowRuntime
import FlowStore
import LocalExecution

/// What `flowspec plan` prints: the steps in order with their settings, and the environments
/// with their state.
struct PlanReport {
    let launch: FlowLaunch
    let specArgument: String
    let params: [String: ParamInput]

    /// What the check of the steps' Python found (errors only).
    var checkProblems: [String] = []

    var problems: [String] { launch.environments.problems + checkProblems }

    /// What each step's tasks will do: run, and why, or be taken from the cache.
    var prediction: ReusePrediction {
        ReusePrediction(plan: launch.plan, code: CodeSnapshot(plan: launch.plan, specFolder: launch.specFolder),
                        environments: launch.environments, specFolder: launch.specFolder, store: launch.store)
    }
    private var environments: [RunEnvironments.Entry] { launch.environments.entries }
    private var toBuild: [RunEnvironments.Entry] { environments.filter { $0.state == .notBuilt } }

    private func environment(of step: ExecutionPlan.PlannedStep) -> RunEnvironments.Entry? {
        step.function == nil ? nil : launch.environments.entry(for: step.environment)
    }

    // MARK: - Text

    func text(color: Bool) -> String {
        let plan = launch.plan
        var text = "\(plan.flowName) (\(specArgument)): "
        text += problems.isEmpty ? "ready to run" : "cannot run"
        text += toBuild.isEmpty ? "\n" : "; \(counted(toBuild.count, "environment")) to build first\n"
        text += InspectText.section("params", color: color)
        text += params.isEmpty ? "  none\n" : ReadingFormat.indented(ReadingFormat.table(
            ["NAME", "VALUE"], params.sorted { $0.key < $1.key }.map { [$0.key, Self.text($0.value)] }, color: color), "  ")
        text += InspectText.section("steps", color: color)
        let rows = plan.order.compactMap { plan[$0] }.map { step -> [String] in
            [step.name, step.kind.rawValue, environment(of: step).map(Self.shortLabel) ?? "- (no run)",
             step.resources.map(Self.text) ?? "-", step.concurrency.map { String($0) } ?? "-",
             step.timeout.map { ReadingFormat.duration($0.seconds) } ?? "-", step.retry.map(Self.text) ?? "-",
             step.cache ? "yes" : "-"]
        }
        text += ReadingFormat.indented(ReadingFormat.table(
            ["STEP", "KIND", "ENVIRONMENT", "RESOURCES", "CONCURRENCY", "TIMEOUT", "RETRY", "CACHE"], rows, color: color), "  ")
        text += InspectText.section("cache (predicted; `flowspec explain RUN` says what happened)", color: color)
        text += ReadingFormat.indented(ReadingFormat.table(["STEP", "WHY"], prediction.steps.map { [$0.name, $0.text] }, color: color), "  ")
        text += InspectText.section("environments", color: color)
        for entry in environments {
            text += "  \(Self.label(entry)): \(Self.stateText(entry))\n"
            text += InspectText.fields([
                ("python", entry.python.map { "\($0.version) (\($0.executable))" }
                    ?? entry.builder.map { "\($0.base.version), built from \($0.base.executable)" }),
                ("folder", entry.folder),
                ("steps", entry.steps.isEmpty ? "none" : entry.steps.joined(separator: ", ")),
                ("problem", entry.problem),
            ]).split(separator: "\n").map { "  " + $0 + "\n" }.joined()
        }
        if !toBuild.isEmpty {
            text += "\nthe run would first build: " + toBuild.map(Self.label).joined(separator: "; ") + "\n"
        }
        return text
    }

    private static func stateText(_ entry: RunEnvironments.Entry) -> String {
        entry.state == .notBuilt ? "not built — will be built" : entry.state.rawValue
    }

    /// `python3 on PATH`, `venv .venv`, `requirements [a==1] (HASH)`.
    static func label(_ entry: RunEnvironments.Entry) -> String {
        entry.source.description + (entry.builder.map { " (\($0.hash))" } ?? "")
    }

    /// A label short enough for a table cell.
    private static func shortLabel(_ entry: RunEnvironments.Entry) -> String {
        switch entry.source {
        case .requirements(let list): "requirements \(entry.builder?.hash ?? "") (\(counted(list.count, "package")))"
        default: entry.source.description
        }
    }

    private static func text(_ resources: Resources) -> String {
        [resources.cpu.map { "cpu \($0 == $0.rounded() ? String(Int($0)) : String($0))" },
         resources.memory.map { "memory \(ReadingFormat.size($0.bytes))" },
         resources.gpu.map { "gpu \($0)" }].compactMap { $0 }.joined(separator: ", ")
    }

    private static func text(_ retry: RetryPolicy) -> String {
        let details = [retry.delay.map { "delay \(ReadingFormat.duration($0.seconds))" }, retry.backoff.map { "backoff \($0)" },
                       retry.maxDelay.map { "max \(ReadingFormat.duration($0.seconds))" }, retry.jitter == true ? "jitter" : nil]
            .compactMap { $0 }
        return "\(retry.times)" + (details.isEmpty ? "" : " (\(details.joined(separator: ", ")))")
    }

    private static func text(_ input: ParamInput) -> String {
        switch input {
        case .json(let value): value.jsonText
        case .textFile(let path): "file \(path)"
        case .bytesFile(let path): "file \(path) (binary)"
        }
    }

    // MARK: - JSON

    var json: JSONValue {
        let plan = launch.plan
        return .object([
            "flow": .string(plan.flowName), "spec": .string(launch.specPath), "ready": .bool(problems.isEmpty),
            "problems": .array(problems.map(JSONValue.string)),
            "params": .object(params.mapValues { input in
                switch input {
                case .json(let value): value
                case .textFile(let path): .object(["file": .string(path)])
                case .bytesFile(let path): .object(["file": .string(path), "binary": .bool(true)])
                }
            }),
            "steps": .array(plan.order.compactMap { plan[$0] }.map(stepJSON)),
            "environments": .array(environments.map(Self.json)),
            "to_build": .array(toBuild.compactMap { $0.builder.map { .string($0.hash) } }),
            "cache": .array(prediction.steps.map { .object(["step": .string($0.name), "code": .string($0.code), "reason": .string($0.text)]) }),
        ])
    }

    private func stepJSON(_ step: ExecutionPlan.PlannedStep) -> JSONValue {
        .object([
            "name": .string(step.name), "kind": .string(step.kind.rawValue),
            "environment": environment(of: step).map { .string(Self.label($0)) } ?? .null,
            "resources": step.resources.map { resources in
                .object(["cpu": resources.cpu.map(JSONValue.double) ?? .null,
                         "memory_bytes": resources.memory.map { .int(Int($0.bytes)) } ?? .null,
                         "gpu": resources.gpu.map(JSONValue.int) ?? .null])
            } ?? .null,
            "concurrency": step.concurrency.map { .int($0) } ?? .null,
            "timeout_seconds": .optional(step.timeout?.seconds),
            "retry": step.retry.map { .object(["times": .int($0.times), "delay_seconds": .optional($0.delay?.seconds),
                                          "backoff": .optional($0.backoff), "max_delay_seconds": .optional($0.maxDelay?.seconds),
                                          "jitter": .bool($0.jitter == true)]) } ?? .null,
            "cache": .bool(step.cache),
        ])
    }

    private static func json(_ entry: RunEnvironments.Entry) -> JSONValue {
        var requirements: [String] = []
        if case .requirements(let list) = entry.source { requirements = list }
        return .object([
            "kind": .string(RunEnvironmentRecord.Kind(entry.source).rawValue), "label": .string(label(entry)), "state": .string(entry.state.rawValue),
            "folder": .optional(entry.folder), "hash": .optional(entry.builder?.hash),
            "requirements": .array(requirements.map(JSONValue.string)),
            "python": .object(["version": .optional(entry.python?.version ?? entry.builder?.base.version),
                               "executable": .optional(entry.python?.executable)]),
            "steps": .array(entry.steps.map(JSONValue.string)), "problem": .optional(entry.problem),
        ])
    }
}
