import FlowBasics
import FlowGraph

/// Runs a plan: queues tasks as their inputs become ready, hands them to an executor up to
/// `maxWorkers` at a time, within the cpu and memory budget and each step's `concurrency`, and
/// follows `next`, switches, foreach fan-outs and joins as tasks end.
/// It embeds no interpreter and never sees an artifact's value, only where it is stored.
public struct Scheduler: Sendable {
    public let plan: ExecutionPlan
    public let executor: any TaskExecutor
    public var maxWorkers: Int
    public var maxSplits: Int
    /// The env flowspec runs in, for `${VAR}` in `env` values.
    public var callerEnv: [String: String]
    /// Once requested, no further task starts; the run ends as `interrupted`.
    public var interruption = Interruption()
    /// The cache and `resume`: asked for every task of a step with a `run` whether an
    /// earlier task stands for it (`TaskReuse`).
    public var reuse: (any TaskReuse)?
    /// The cpu and memory the running tasks may ask for in all; a task that alone asks for
    /// more fails the run before anything runs.
    public var resourceLimits = ResourceLimits.unlimited
    /// Each step's code and environment fingerprint, by step name: a task of a step listed here
    /// gets a `CacheKey`, told to the observer once its function's parameters are known.
    public var stepFingerprints: [String: String] = [:]

    public init(plan: ExecutionPlan, executor: any TaskExecutor, maxWorkers: Int,
                maxSplits: Int = 100_000, callerEnv: [String: String] = [:]) {
        self.plan = plan
        self.executor = executor
        self.maxWorkers = max(1, maxWorkers)
        self.maxSplits = maxSplits
        self.callerEnv = callerEnv
    }

    /// Runs the flow from its first step, seeing `params` (name -> stored value).
    public func run(params: [String: ArtifactRef], observer: RunObserver? = nil) async -> RunOutcome {
        let excesses = resourceLimits.excesses(in: plan)
        guard excesses.isEmpty else {
            let failures = excesses.map { (key: TaskKey(step: $0.step), failure: TaskFailure(kind: .resources, message: $0.message)) }
            return RunOutcome(status: .failed, failures: failures, finalArtifacts: [:], tasksRun: 0)
        }
        var scope = TaskScope()
        for (name, ref) in params { scope.artifacts[name] = .artifact(ref) }
        var state = RunState(drain: StepDrain(plan: plan, watching: executor.watchedSteps))
        state.observer = observer
        await enqueue(TaskKey(step: plan.first), scope: scope, parents: [], state: &state)
        await withTaskGroup(of: GroupEvent.self) { group in
            var budget = ResourceBudget(plan: plan, limits: resourceLimits, maxWorkers: maxWorkers)
            var retrying = 0
            while true {
                await settleReady(&state)
                for step in state.drain.takeDrained() { await executor.noMoreTasks(of: step) }
                startWaiting(&state, budget: &budget, group: &group)
                guard budget.running + retrying > 0, let event = await group.next() else { break }
                switch event {
                case .ran(let key, let scope, let request, let result):
                    budget.release(key.step)
                    keyLate(key, request: request, result: result, state: &state)
                    guard let delay = await ended(key, scope: scope, result: result, state: &state) else { continue }
                    retrying += 1
                    group.addTask {
                        try? await Task.sleep(nanoseconds: UInt64(delay * 1e9))
                        return .retry(key, scope)
                    }
                case .retry(let key, let scope):
                    retrying -= 1
                    if !stopping(state) { state.ready.append((key, scope, [])) }
                }
            }
        }
        if !stopping(state) { state.failures = unfinished(state) }
        let status: RunOutcome.Status = interruption.isRequested ? .interrupted : (state.failures.isEmpty ? .completed : .failed)
        return RunOutcome(status: status, failures: state.failures,
                          finalArtifacts: state.finalArtifacts, tasksRun: state.tasksRun)
    }

    /// Once a task has failed for good or the run is interrupted, no further task starts.
    func stopping(_ state: RunState) -> Bool {
        !state.failures.isEmpty || interruption.isRequested
    }

    // MARK: - Starting tasks

    /// Ready tasks that need no worker end at once (tasks taken from an earlier one, steps
    /// without `run`); the others wait for room.
    private func settleReady(_ state: inout RunState) async {
        while !stopping(state), let (key, scope, parents) = state.ready.popFirst() {
            if plan[key.step]?.function == nil {
                // A step without `run` only passes its artifacts on.
                state.observer?.taskStarted(key, parents: parents, attempt: state.nextAttempt(key))
                state.observer?.taskFinished(key, TaskResult())
                await finished(key, scope: scope, result: TaskResult(), state: &state)
            } else if state.attempts[key] == nil, let (origin, identity) = taken(key, scope: scope, parents: parents, state: &state) {
                // A retry (attempted before) is never taken: it waits for a worker again.
                state.observer?.taskReused(key, parents: parents, from: origin, identity: identity)
                await finished(key, scope: scope, result: TaskResult(outputs: origin.outputs), state: &state)
            } else {
                state.waiting.append((key, scope, parents), step: key.step)
            }
        }
    }

    /// The earlier task `reuse` takes for this one, if any; else tells the observer why it runs.
    private func taken(_ key: TaskKey, scope: TaskScope, parents: [TaskKey], state: inout RunState) -> (ReusedTask, TaskIdentity)? {
        let identity = identity(of: key, scope: scope, state: &state)
        guard let reuse else { return nil }
        switch reuse.verdict(for: key, identity: identity, parents: parents) {
        case .reuse(let origin):
            if let identity { return (origin, identity) }
            state.observer?.taskRuns(key, because: .missed)
        case .run(let cause):
            state.observer?.taskRuns(key, because: cause)
        }
        return nil
    }

    /// The task's key, when its step has a fingerprint and its function's parameters are known
    /// (from this run's first answer, or an earlier run's); kept until its first attempt starts.
    private func identity(of key: TaskKey, scope: TaskScope, state: inout RunState) -> TaskIdentity? {
        guard let fingerprint = stepFingerprints[key.step],
              let parameters = state.parameters[key.step] ?? reuse?.parameters(of: key.step),
              case .success(let request) = request(for: key, scope: scope, attempt: 1) else { return nil }
        let identity = CacheKey.of(request, step: fingerprint, parameters: parameters)
        state.identities[key] = identity
        return identity
    }

    /// A task keyed only once its worker said what its function takes: told before its end.
    private func keyLate(_ key: TaskKey, request: TaskRequest, result: TaskResult, state: inout RunState) {
        guard let parameters = result.parameters else { return }
        state.parameters[key.step] = state.parameters[key.step] ?? parameters
        guard !state.keyed.contains(key), let fingerprint = stepFingerprints[key.step] else { return }
        state.keyed.insert(key)
        state.observer?.taskKeyed(key, CacheKey.of(request, step: fingerprint, parameters: parameters))
    }

    /// Starts waiting tasks while free workers, cpu, memory and their steps' `concurrency` allow.
    private func startWaiting(_ state: inout RunState, budget: inout ResourceBudget, group: inout TaskGroup<GroupEvent>) {
        while !stopping(state), let (key, scope, parents) = state.waiting.next(within: budget) {
            let attempt = state.nextAttempt(key)
            let made = request(for: key, scope: scope, attempt: attempt)
            if let identity = state.identities.removeValue(forKey: key) {
                state.keyed.insert(key)
                state.observer?.taskKeyed(key, identity)
            }
            state.observer?.taskStarted(key, parents: parents, attempt: attempt)
            switch made {
            case .success(let request):
                budget.take(key.step)
                group.addTask { [executor] in .ran(key, scope, request, await executor.run(request)) }
            case .failure(let failure):
                state.observer?.taskFinished(key, TaskResult(failure: failure))
                state.failures.append((key, failure))
            }
        }
    }

    /// Records an attempt's end; returns the seconds to wait before trying the task again, or
    /// nil when it is done: finished, caught, or failed for good.
    private func ended(_ key: TaskKey, scope: TaskScope, result: TaskResult, state: inout RunState) async -> Double? {
        var result = result
        let catchName = catchName(of: key)
        if result.failure == nil, let catchName {
            result = await storing([catchName: .null], into: result)
        }
        state.observer?.taskFinished(key, result)
        if let delay = retryDelay(key, result, state: state) { return delay }
        if let failure = result.failure, let catchName, failure.kind.isCatchable, !interruption.isRequested {
            let caught = await storing(Self.caughtValues(failure, catchName: catchName, shape: shape(of: key)), into: TaskResult())
            if caught.failure == nil { state.observer?.taskCaught(key, caught.outputs) }
            await finished(key, scope: scope, result: caught, state: &state)
        } else {
            await finished(key, scope: scope, result: result, state: &state)
        }
        return nil
    }

    // MARK: - Retries

    /// Seconds to wait before trying a failed task again, or nil when it is not retried
    /// (`FailureKind.isRetryable`, as often as `retry` allows).
    private func retryDelay(_ key: TaskKey, _ result: TaskResult, state: RunState) -> Double? {
        guard let failure = result.failure, failure.kind.isRetryable,
              state.failures.isEmpty, !interruption.isRequested, let policy = plan[key.step]?.retry else { return nil }
        let attempt = state.attempts[key, default: 1]
        guard attempt <= policy.times else { return nil }
        return RetryDelay.seconds(before: attempt + 1, policy: policy)
    }

    // MARK: - Catch

    private func catchName(of key: TaskKey) -> String? {
        plan[key.step]?.catchName
    }

    private func shape(of key: TaskKey) -> OutputShape? {
        plan[key.step]?.outputs
    }

    /// docs/spec.md: the error as a dict of str under the catch name, and the step's outputs None.
    static func caughtValues(_ failure: TaskFailure, catchName: String, shape: OutputShape?) -> [String: JSONValue] {
        var values: [String: JSONValue] = [catchName: .object([
            "type": .string(failure.type), "message": .string(failure.message), "traceback": .string(failure.traceback),
        ])]
        switch shape {
        case .single(let name)?, .stepName(let name)?: values[name] = .null
        case .unpacked(let names)?: for name in names { values[name] = .null }
        case .mapping?, nil: break
        }
        return values
    }

    /// `result` with `values` stored and added to its outputs; a failure to store fails it.
    private func storing(_ values: [String: JSONValue], into result: TaskResult) async -> TaskResult {
        var result = result
        do throws(TaskFailure) {
            result.outputs.merge(try await executor.store(values)) { _, stored in stored }
        } catch {
            result.failure = error
        }
        return result
    }

    // MARK: - Requests

    /// The request for a task of a step with a `run`.
    private func request(for key: TaskKey, scope: TaskScope, attempt: Int) -> Result<TaskRequest, TaskFailure> {
        guard let step = plan[key.step], let function = step.function else {
            return .failure(TaskFailure(kind: .binding, message: "step '\(key.step)' has no function to run"))
        }
        var bound: [String: ValueSource] = [:]
        for literal in step.literals { bound[literal.parameter] = .literal(literal.value) }
        for arg in step.args {
            switch scope.resolve(arg.reference) {
            case .success(let value): bound[arg.parameter] = value
            case .failure(let failure):
                return .failure(TaskFailure(kind: .binding, message: "argument '\(arg.parameter)' of step '\(key.step)': \(failure.message)"))
            }
        }
        let available = scope.bindable.filter { bound[$0.key] == nil }
        let env = step.env.mapValues { EnvExpansion.expand($0, from: callerEnv) }
        var request = TaskRequest(key: key, name: plan.path(of: key), target: function, bound: bound, available: available,
                                  outputs: step.outputs, env: env, importRoots: step.importRoots, attempt: attempt,
                                  timeout: step.timeout?.seconds, needs: step.needs, environment: step.environment)
        request.isolated = step.isolate
        return .success(request)
    }
}

/// What a child of the scheduler's task group reports.
private enum GroupEvent: Sendable {
    case ran(TaskKey, TaskScope, TaskRequest, TaskResult)
    /// A failed task's retry delay is over: queue it again.
    case retry(TaskKey, TaskScope)
}
