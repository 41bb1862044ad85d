import FlowBasics
import FlowGraph
import FlowRuntime
import FlowStore
import WorkerProtocol

/// What `resume` may take from an earlier run, and why: its params, its code, and each task it
/// recorded with whether the new run may take it. A task may be taken when it completed (or
/// was itself taken from a run before) and its step is not the `--from` step or after it; the
/// new run takes it only while its key is still the one it had (`StoreReuse`), so a task whose
/// code, inputs or environment changed runs again. Tasks the earlier run never got to have no
/// record; they run.
public struct ResumePlan: Sendable {
    /// Why a task of the earlier run is reused, or run again.
    public enum Reason: Hashable, Sendable {
        /// Reused: it completed in the earlier run.
        case completed
        /// Reused: the earlier run had itself taken it from a run before.
        case reusedThere
        /// Run again: `--from` names its step or a step before it.
        case from(String)
        /// Run again: it did not complete in the earlier run (failed, or still running when that run ended).
        case notCompleted(TaskStatus)
        /// Neither: the spec has no such step any more.
        case stepGone

        public var reuses: Bool { self == .completed || self == .reusedThere }
    }

    /// One task of the earlier run, and what becomes of it.
    public struct Decision: Hashable, Sendable {
        public let key: TaskKey
        /// The task in the earlier run.
        public let origin: TaskID
        public let reason: Reason
    }

    /// A task the new run may take instead of running it: the earlier task, its key, and what
    /// it produced.
    public struct Reused: Sendable {
        public let origin: TaskID
        /// `FLOW/ID/STEP/TASK`.
        public let pathspec: String
        /// Its key; nil when it was recorded without one, and then it runs again.
        public let cacheKey: String?
        public let outputs: [String: ArtifactRef]
    }

    public let run: RunID
    public let params: [String: ArtifactRef]
    public let from: String?
    /// The code the reused values were pickled with, for workers that read them.
    public let code: [CodeFileRef]
    /// Every task of the earlier run, in the order it was recorded.
    public let decisions: [Decision]
    /// The tasks the new run may take, by task.
    public let reused: [TaskKey: Reused]
    /// The plan's steps in order, for the summary.
    private let order: [String]

    /// Reads `reference` (FLOW/ID, an id, a unique prefix or `latest`) of the plan's flow from
    /// the store at `store`.
    public static func load(store: String, run reference: String, plan: ExecutionPlan, from: String?) throws -> ResumePlan {
        let reader = try StoreReader(path: store)
        let record = try reader.run(reference, flow: plan.flowName)
        return try ResumePlan(reader: reader, run: record, plan: plan, from: from)
    }

    public init(reader: StoreReader, run record: RunRecord, plan: ExecutionPlan, from: String?) throws {
        run = record.id
        params = record.params
        self.from = from
        order = plan.order
        let forced = from.map { Self.stepAndDescendants($0, plan: plan) } ?? []
        var decisions: [Decision] = []
        var reused: [TaskKey: Reused] = [:]
        // A task is recorded after its parents, so its id is larger than theirs.
        for task in try reader.tasks(of: record.id).sorted(by: { $0.id.rawValue < $1.id.rawValue }) {
            let key = TaskKey(step: task.step, path: task.index, iteration: task.iteration)
            let reason = Self.reason(for: task, plan: plan, from: from, forced: forced)
            decisions.append(Decision(key: key, origin: task.id, reason: reason))
            guard reason.reuses else { continue }
            let outputs = try reader.artifacts(of: task.id)
            reused[key] = Reused(origin: task.id, pathspec: "\(record.flow)/\(record.id)/\(task.path)", cacheKey: task.cacheKey,
                                 outputs: Dictionary(outputs.map { ($0.name, $0.value) }, uniquingKeysWith: { first, _ in first }))
        }
        self.decisions = decisions
        self.reused = reused
        code = try reader.codeSnapshot(of: record.id).map { CodeFileRef(path: $0.path, blob: $0.blob, module: $0.module) }
    }

    /// `forced` is `from` and the steps after it.
    private static func reason(for task: TaskRecord, plan: ExecutionPlan, from: String?, forced: Set<String>) -> Reason {
        guard plan[task.step] != nil else { return .stepGone }
        if let from, forced.contains(task.step) { return .from(from) }
        guard task.status == .completed || task.status == .reused else { return .notCompleted(task.status) }
        return task.status == .reused ? .reusedThere : .completed
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

    /// The plan's steps the earlier run recorded no task of: all their tasks run.
    public var unrecordedSteps: [String] {
        let recorded = Set(decisions.map(\.key.step))
        return order.filter { !recorded.contains($0) }
    }

    /// "start (1), per_genre (12)": the steps whose tasks may be taken, in order, with how many
    /// (at most: a task is taken only while its key matches, and not after a `--from` task).
    public var reusableSummary: String {
        let counts = Dictionary(grouping: reused.keys, by: \.step).mapValues(\.count)
        return order.compactMap { step in counts[step].map { "\(step) (\($0))" } }.joined(separator: ", ")
    }
}
