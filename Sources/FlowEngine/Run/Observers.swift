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
    func taskReused(_ key: TaskKey, parents: [TaskKey]) { all.forEach { $0.taskReused(key, parents: parents) } }
    func taskCaught(_ key: TaskKey, _ outputs: [String: ArtifactRef]) { all.forEach { $0.taskCaught(key, outputs) } }
    func taskKeyed(_ key: TaskKey, cacheKey: String) { all.forEach { $0.taskKeyed(key, cacheKey: cacheKey) } }
    func taskItem(_ key: TaskKey, _ item: ValueSource) { all.forEach { $0.taskItem(key, item) } }
}
