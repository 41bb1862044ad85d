import FlowBasics
import FlowGraph
import FlowRuntime
import FlowStore
import Glibc
import Synchronization

/// The cache and a resumed run, as the scheduler asks for them (docs/spec.md, "Cache, explain
/// and resume"): a task is taken from the resumed run's task at its place, or from the cache's
/// task of its key, only while its key is that task's key. `--from STEP` forces STEP, the
/// steps after it, and every task that follows a forced one (a later pass of a loop).
final class StoreReuse: TaskReuse, @unchecked Sendable {
    private let reader: Mutex<StoreReader?>
    /// Steps whose tasks may come from the cache.
    private let cached: Set<String>
    private let resume: ResumePlan?
    private let forced: Set<String>
    /// The tasks `--from` forced so far, whose followers it forces too.
    private let forcedTasks = Mutex<Set<TaskKey>>([])
    private let parameters: [String: [String]]

    /// `useCache` false is `--no-cache`.
    init(request: RunRequest, fingerprints: [String: StepFingerprint], useCache: Bool) {
        let reader = try? StoreReader(path: request.storePath)
        let plan = request.plan
        cached = useCache ? Set(plan.order.filter { plan[$0]?.cache == true }) : []
        resume = request.resume
        forced = request.resume?.from.map { ResumePlan.stepAndDescendants($0, plan: plan) } ?? []
        parameters = fingerprints.compactMapValues { try? reader?.stepParameters(fingerprint: $0.hash) }
        self.reader = Mutex(reader)
    }

    func parameters(of step: String) -> [String]? { parameters[step] }

    func verdict(for key: TaskKey, identity: TaskIdentity?, parents: [TaskKey]) -> ReuseVerdict {
        if let from = resume?.from, isForced(key, parents: parents) { return .run(.from(from)) }
        if let identity, let earlier = resume?.reused[key], earlier.cacheKey == identity.key {
            return .reuse(ReusedTask(origin: earlier.origin.rawValue, originPath: earlier.pathspec, outputs: earlier.outputs))
        }
        if cached.contains(key.step), let identity, let hit = cacheHit(identity.key) { return .reuse(hit) }
        return .run(resume != nil || cached.contains(key.step) ? .missed : .cacheOff)
    }

    private func isForced(_ key: TaskKey, parents: [TaskKey]) -> Bool {
        forcedTasks.withLock { tasks in
            // A parent of a forced step counts too: a step without `run` is never asked about.
            guard forced.contains(key.step) || parents.contains(where: { tasks.contains($0) || forced.contains($0.step) }) else {
                return false
            }
            tasks.insert(key)
            return true
        }
    }

    /// The cache's task of this key, while every blob it produced is still in the store.
    private func cacheHit(_ key: String) -> ReusedTask? {
        reader.withLock { reader in
            guard let reader, let found = try? reader.cachedTask(key: key), found.task.status == .completed,
                  let artifacts = try? reader.artifacts(of: found.task.id),
                  artifacts.allSatisfy({ (try? reader.blobPath($0.value.blob)).map { access($0, F_OK) == 0 } == true }) else { return nil }
            return ReusedTask(origin: found.task.id.rawValue, originPath: found.pathspec,
                              outputs: Dictionary(artifacts.map { ($0.name, $0.value) }) { first, _ in first })
        }
    }
}
