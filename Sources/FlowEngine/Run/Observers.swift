import FlowBasics
import FlowRuntime

/// Several observers told the same things, in order.
final class Observers: RunObserver {
    private let all: [RunObserver]

    init(_ all: [RunObserver]) { self.all = all }

    func taskQueued(_ key: TaskKey) { all.forEach { $0.taskQueued(key) } }
    func taskStarted(_ key: TaskKey, parents: [TaskKey], attempt: Int) {
        all.forEach { $0.taskStarted(key, parents: parents, attempt: attempt) }
    }
    func taskFinished(_ key: TaskKey, _ result: TaskResult) { all.forEach { $0.taskFinished(key, result) } }
    func taskReused(_ key: TaskKey, parents: [TaskKey], from origin: ReusedTask, identity: TaskIdentity) {
        all.forEach { $0.taskReused(key, parents: parents, from: origin, identity: identity) }
    }
    func taskRuns(_ key: TaskKey, because cause: RunCause) { all.forEach { $0.taskRuns(key, because: cause) } }
    func taskCaught(_ key: TaskKey, _ outputs: [String: ArtifactRef]) { all.forEach { $0.taskCaught(key, outputs) } }
    func taskKeyed(_ key: TaskKey, _ identity: TaskIdentity) { all.forEach { $0.taskKeyed(key, identity) } }
    func taskItem(_ key: TaskKey, _ item: ValueSource) { all.forEach { $0.taskItem(key, item) } }
}
