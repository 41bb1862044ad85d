import FlowBasics
import FlowGraph
import FlowStore
import LocalExecution
import WorkerProtocol

/// What `flowspec plan` predicts of each step before a run, in `explain`'s words: a step runs
/// when the cache is off for it, `--from` forces it, its code or environment differs from the
/// latest earlier run's (the resumed run's, for `resume`), or a step before it runs; otherwise
/// its tasks are taken if their inputs are the same too, which only the run can tell.
public struct ReusePrediction: Sendable {
    public struct Step: Sendable, Hashable {
        public let name: String
        /// A sentence of `TaskReason`'s vocabulary, or what the run will decide.
        public let text: String
        /// The `TaskReason` code, or `may_reuse` when the inputs decide.
        public let code: String
    }

    public let steps: [Step]

    public init(plan: ExecutionPlan, code: CodeSnapshot, environments: RunEnvironments, specFolder: String, store: String,
                resume: ResumePlan? = nil, usesCache: Bool = true) {
        let fingerprints = StepFingerprints.of(plan, code: code, environments: environments, specFolder: specFolder)
        let reader = try? StoreReader(path: store)
        let forced = resume?.from.map { ResumePlan.stepAndDescendants($0, plan: plan) } ?? []
        let before = Self.predecessors(plan)
        var running: Set<String> = []
        var steps: [Step] = []
        for name in plan.order {
            guard let step = plan[name] else { continue }
            let upstream = before[name, default: []].first(where: running.contains)
            guard step.function != nil else {
                if upstream != nil { running.insert(name) }  // passes a changed value on
                continue
            }
            let reason: TaskReason? = if let from = resume?.from, forced.contains(name) {
                .from(from)
            } else if resume == nil && !(usesCache && step.cache) {
                .cacheOff
            } else {
                Self.change(in: name, of: plan.flowName, now: fingerprints[name], reader: reader, origin: resume?.run)
            }
            if let reason {
                running.insert(name)
                steps.append(Step(name: name, text: reason.text, code: reason.code))
            } else if let upstream {
                running.insert(name)
                steps.append(Step(name: name, text: "runs if what '\(upstream)' gives it changes; else reused", code: "may_reuse"))
            } else {
                steps.append(Step(name: name, text: "reused if its inputs are the same as before", code: "may_reuse"))
            }
        }
        self.steps = steps
    }

    /// The steps that lead to each step (`next`, and a switch's routes that go forward).
    private static func predecessors(_ plan: ExecutionPlan) -> [String: [String]] {
        var before: [String: [String]] = [:]
        for name in plan.order {
            guard let step = plan[name] else { continue }
            for next in step.next + step.routes.filter({ !$0.isLoop }).map(\.target) { before[next, default: []].append(name) }
        }
        return before
    }

    /// Why the step's tasks must run whatever their inputs, if they must.
    private static func change(in step: String, of flow: String, now: StepFingerprint?, reader: StoreReader?,
                               origin: RunID?) -> TaskReason? {
        guard let now, let earlier = try? reader?.latestStepParts(flow: flow, step: step, in: origin),
              let then = JSONScanner.value(Array(earlier.parts.utf8)).flatMap(StepFingerprint.init(json:)) else {
            return .noEarlierTask
        }
        return ReasonFinder.changed(from: then, to: now)
    }
}
