/// The scheduler's bookkeeping for one run.
struct RunState {
    /// A task that reached a join, and what it saw.
    struct Arrival {
        let key: TaskKey
        let scope: TaskScope
    }

    /// A join waiting for its branches or foreach tasks, keyed by the task that opened the split.
    struct PendingJoin {
        let join: String
        /// By branch position, or by foreach index.
        var arrived: [Int: Arrival] = [:]
    }

    var ready = Deque<(TaskKey, TaskScope, [TaskKey])>()
    /// Ready tasks that need a worker, until there is room for them.
    var waiting = WaitingTasks<(TaskKey, TaskScope, [TaskKey])>()
    /// What each finished task passes on.
    var outScopes: [TaskKey: TaskScope] = [:]
    /// Joins some of whose branches or foreach tasks have arrived, by the opening task.
    var pendingJoins: [TaskKey: PendingJoin] = [:]
    /// Foreach fan-outs, by the foreach step's task before its index: how many tasks and what
    /// the fan-out step saw.
    var fanouts: [TaskKey: (count: Int, base: TaskScope)] = [:]
    var failures: [(TaskKey, TaskFailure)] = []
    var finalArtifacts: [String: ValueSource] = [:]
    /// Whether the last step finished: only then has the run completed.
    var lastStepFinished = false
    var tasksRun = 0
    /// Attempts started so far, per task.
    var attempts: [TaskKey: Int] = [:]
    /// What each step's function takes by name, once a worker of this run said.
    var parameters: [String: [String]] = [:]
    /// Keys made before a task's first attempt, until it starts.
    var identities: [TaskKey: TaskIdentity] = [:]
    /// Tasks whose key the observer has been told.
    var keyed: Set<TaskKey> = []
    /// Which steps the executor is told of when they can have no further task.
    var drain: StepDrain
    var observer: RunObserver?

    init(drain: StepDrain) {
        self.drain = drain
    }

    mutating func nextAttempt(_ key: TaskKey) -> Int {
        let attempt = attempts[key, default: 0] + 1
        attempts[key] = attempt
        return attempt
    }

    mutating func queue(_ key: TaskKey, _ scope: TaskScope, _ parents: [TaskKey]) {
        ready.append((key, scope, parents))
        drain.queued(key.step)
        observer?.taskQueued(key)
        if let item = scope.foreach.last, item.step == key.step { observer?.taskItem(key, item.item) }
    }
}
