import FlowBasics
import FlowStore

/// The store a reading command reads, and how it turns `RUN[/STEP[/TASK]][/ARTIFACT]` into
/// records. Every failure is reported here, with the nearest names, and thrown as a
/// `CommandFailure` (exit status 1).
///
/// RUN is `FLOW/ID` or `ID` (a unique prefix of one, or `latest`). TASK is a `TaskLabel`: the
/// task's foreach positions, outermost first and dot-separated (`per_genre/3`, `inner/2.0`),
/// then, inside a `switch` loop, `#K` for the pass from 0 (`refine/#2`, `inner/2.0#1`); without
/// `#K`, the last pass. A step outside any foreach has one task at each pass.
struct ReadingContext {
    let reader: StoreReader
    /// The store's folder, absolute.
    let storePath: String

    init(_ store: StoreOption) throws {
        storePath = store.resolved
        do {
            reader = try StoreReader(path: storePath)
        } catch {
            throw Self.failure("\(error)")
        }
    }

    /// Writes `error: message` (and a hint) to stderr and returns the failure to throw.
    static func failure(_ message: String, hint: String? = nil, status: Int32 = 1) -> CommandFailure {
        Terminal.writeError("error: \(message)\n" + (hint.map { "hint: \($0)\n" } ?? ""))
        return CommandFailure(status: status)
    }

    /// Runs any store call, reporting a store error as a failure.
    func read<T>(_ body: () throws -> T) throws -> T {
        do { return try body() } catch let failure as CommandFailure { throw failure } catch {
            throw Self.failure("\(error)")
        }
    }

    // MARK: Runs

    /// The run an address starts with, and the components after it.
    func resolve(_ address: String) throws -> (run: RunRecord, rest: [String]) {
        let parts = address.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        guard !parts.contains(where: \.isEmpty) else {
            throw Self.failure("'\(address)' is not a RUN[/STEP[/TASK]] path: it has an empty part", status: 2)
        }
        let flows = try read { try reader.flows().map(\.name) }
        if parts.count >= 2, flows.contains(parts[0]) {
            return (try run(parts[0] + "/" + parts[1]), Array(parts.dropFirst(2)))
        }
        if parts.count == 1, flows.contains(parts[0]) {
            throw Self.failure("'\(parts[0])' is a flow, not a run", hint: "name one of its runs, e.g. '\(parts[0])/latest'")
        }
        return (try run(parts[0]), Array(parts.dropFirst()))
    }

    /// The run `reference` names (`FLOW/ID`, `ID`, a unique prefix, `latest`).
    func run(_ reference: String) throws -> RunRecord {
        do {
            return try reader.run(reference)
        } catch StoreError.runNotFound {
            let runs = (try? reader.runs()) ?? []
            let names = runs.flatMap { ["\($0.flow)/\($0.id)", $0.id.rawValue] }
            if let near = NearestNames.to(reference, among: names).first {
                throw Self.failure("no run '\(reference)'", hint: "did you mean '\(near)'?")
            }
            let recent = runs.prefix(3).map { "\($0.flow)/\($0.id)" }
            throw Self.failure("no run '\(reference)'",
                               hint: recent.isEmpty ? "the store at '\(storePath)' has no runs yet"
                                   : "the latest runs are \(quotedList(recent)); `flowspec runs` lists them all")
        } catch {
            throw Self.failure("\(error)")
        }
    }

    // MARK: Steps and tasks

    func step(_ name: String, of run: RunRecord) throws -> StepRecord {
        let steps = try read { try reader.steps(of: run.id) }
        if let step = steps.first(where: { $0.name == name }) { return step }
        throw Self.failure("run '\(run.flow)/\(run.id)' has no step '\(name)'",
                           hint: NearestNames.hint(for: name, among: steps.map(\.name))
                               ?? "its steps are \(quotedList(steps.map(\.name)))")
    }

    /// The task `selector` names among the step's tasks; with no selector, the step's only
    /// task (its last loop pass), or a failure naming its tasks if it has several.
    func task(_ selector: String?, of step: StepRecord, in run: RunRecord) throws -> TaskRecord {
        let tasks = try read { try reader.tasks(of: run.id, step: step.name) }
        let wanted = try selector.map { try Self.parseTask($0) } ?? TaskLabel(positions: [], pass: nil)
        let matching = tasks.filter { $0.index == wanted.positions && (wanted.pass == nil || $0.iteration == wanted.pass) }
        if let found = matching.max(by: { ($0.iteration, $0.id.rawValue) < ($1.iteration, $1.id.rawValue) }) {
            return found
        }
        let labels = tasks.map(\.label.description)
        if tasks.isEmpty {
            throw Self.failure("step '\(step.name)' of run '\(run.flow)/\(run.id)' has no tasks: it never ran")
        }
        guard let selector else {
            throw Self.failure("step '\(step.name)' has \(tasks.count) tasks: name one, e.g. '\(step.name)/\(labels[0])'",
                               hint: "its tasks are \(Self.abbreviated(labels))")
        }
        throw Self.failure("step '\(step.name)' has no task '\(selector)'",
                           hint: "its tasks are \(Self.abbreviated(labels))")
    }

    /// Every task of the step; with a selector, only the one it names.
    func tasks(_ selector: String?, of step: StepRecord, in run: RunRecord) throws -> [TaskRecord] {
        if let selector { return [try task(selector, of: step, in: run)] }
        return try read { try reader.tasks(of: run.id, step: step.name) }
    }

    static func parseTask(_ text: String) throws -> TaskLabel {
        guard let label = TaskLabel(parsing: text) else {
            throw failure("'\(text)' is not a task: write its foreach position (3, or 2.0 when nested) and, for a loop pass, #K",
                          status: 2)
        }
        return label
    }

    private static func abbreviated(_ labels: [String]) -> String {
        labels.count <= 8 ? quotedList(labels)
            : labels.prefix(3).map { "'\($0)'" }.joined(separator: ", ") + " … '\(labels.last!)' (\(labels.count) in all)"
    }
}
