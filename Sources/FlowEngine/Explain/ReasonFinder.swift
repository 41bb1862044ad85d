import FlowBasics
import FlowRuntime
import FlowStore
import WorkerProtocol

/// Says why a task runs: for one the cache or `resume` looked for and did not take, what
/// differs from the nearest earlier task of its step and position (in the resumed run, for
/// `resume`), checked in the order a user would fix it: the code, the environment, the inputs.
struct ReasonFinder: Sendable {
    let store: String
    let flow: String
    let run: RunID
    /// For `resume`: the run whose tasks count as earlier.
    let origin: RunID?
    let fingerprints: [String: StepFingerprint]

    /// Nil for a task the scheduler gave no cause for: one of a step without `run`.
    func reason(for key: TaskKey, cause: RunCause?, identity: TaskIdentity?, reader: StoreReader?) -> TaskReason? {
        switch cause {
        case nil: return nil
        case .cacheOff?: return .cacheOff
        case .from(let step)?: return .from(step)
        case .missed?: break
        }
        let earlier = try? reader?.earlierTask(flow: flow, step: key.step, index: key.path, iteration: key.iteration,
                                               besides: run, in: origin)
        guard let earlier else { return .noEarlierTask }
        return Self.difference(fingerprints[key.step], identity, from: earlier)
    }

    static func difference(_ now: StepFingerprint?, _ identity: TaskIdentity?, from earlier: KeyedTask) -> TaskReason {
        let then = earlier.stepParts.flatMap { JSONScanner.value(Array($0.utf8)) }.flatMap(StepFingerprint.init(json:))
        if let now, let then, let change = changed(from: then, to: now) { return change }
        guard let identity else { return .noEarlierTask }
        if identity.key == earlier.task.cacheKey {
            return earlier.task.status == .completed ? .noEarlierTask : .earlierDidNotComplete(earlier.pathspec)
        }
        if earlier.task.inputs != nil,
           let name = TaskInputs.firstChanged(TaskInputs.values(TaskInputs.text(identity.inputs)), TaskInputs.values(earlier.task.inputs)) {
            return .inputChanged(name)
        }
        return then == nil ? .noEarlierTask : .outputsChanged
    }

    /// The first difference in the step's code or environment, if any.
    static func changed(from then: StepFingerprint, to now: StepFingerprint) -> TaskReason? {
        if then.function != now.function { return .functionChanged(from: then.function, to: now.function) }
        if let file = firstDifference(then.files, now.files) { return .fileChanged(file) }
        if then.python != now.python { return .environmentChanged(what: "python", from: then.python, to: now.python) }
        if let package = firstDifference(then.packages, now.packages) {
            return .environmentChanged(what: package, from: then.packages[package] ?? "none", to: now.packages[package] ?? "none")
        }
        return nil
    }

    private static func firstDifference(_ then: [String: String], _ now: [String: String]) -> String? {
        Set(then.keys).union(now.keys).sorted().first { then[$0] != now[$0] }
    }
}
