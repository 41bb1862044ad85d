import FlowGraph
import FlowRuntime
import FlowStore
import WorkerProtocol

/// What `resume` takes from an earlier run: its params, and the outputs of every task that
/// completed (or was itself reused), by task, except the steps forced to run again and the
/// tasks after one that runs again: the scheduler takes a task only when it took all its
/// parents, so these are exactly the tasks the new run reuses.
public struct ResumeOrigin: Sendable {
    public let run: RunID
    public let params: [String: ArtifactRef]
    /// Each reusable task: the earlier task and what it produced.
    public let tasks: [TaskKey: (origin: TaskID, outputs: [String: ArtifactRef])]
    public let from: String?
    /// The code the reused values were pickled with, for workers that read them.
    public let code: [CodeFileRef]
    /// The plan's steps in order, for the summary.
    private let order: [String]

    public init(reader: StoreReader, run record: RunRecord, plan: ExecutionPlan, from: String?) throws {
        run = record.id
        params = record.params
        self.from = from
        order = plan.order
        let forced = from.map { Self.stepAndDescendants($0, plan: plan) } ?? []
        var tasks: [TaskKey: (TaskID, [String: ArtifactRef])] = [:]
        var taken: Set<TaskID> = []
        // A task is recorded after its parents, so its id is larger than theirs.
        for task in try reader.tasks(of: record.id).sorted(by: { $0.id.rawValue < $1.id.rawValue })
        where [.completed, .reused].contains(task.status) && plan[task.step] != nil && !forced.contains(task.step) {
            guard try reader.parents(of: task.id).allSatisfy(taken.contains) else { continue }
            taken.insert(task.id)
            let outputs = try reader.artifacts(of: task.id)
            tasks[TaskKey(step: task.step, path: task.index, iteration: task.iteration)] =
                (task.id, Dictionary(outputs.map { ($0.name, $0.value) }, uniquingKeysWith: { first, _ in first }))
        }
        self.tasks = tasks
        code = try reader.codeSnapshot(of: record.id).map { CodeFileRef(path: $0.path, blob: $0.blob, module: $0.module) }
    }

    /// `step` and every step after it, following `next` and the switch's forward routes.
    public static func stepAndDescendants(_ step: String, plan: ExecutionPlan) -> Set<String> {
        var found: Set<String> = [step]
        var pending = [step]
        while let name = pending.popLast(), let planned = plan[name] {
            for next in planned.next + planned.routes.filter({ !$0.isLoop }).map(\.target) where found.insert(next).inserted {
                pending.append(next)
            }
        }
        return found
    }

    /// "start (1), per_genre (12)": the steps whose tasks are taken, in order, with how many.
    public var reusableSummary: String {
        let counts = Dictionary(grouping: tasks.keys, by: \.step).mapValues(\.count)
        return order.compactMap { step in counts[step].map { "\(step) (\($0))" } }.joined(separator: ", ")
    }
}
