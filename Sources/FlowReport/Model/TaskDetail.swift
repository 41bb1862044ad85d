import FlowStore

/// One task with everything its page shows: its attempts with their output, the artifacts it
/// produced, and the tasks it follows.
public struct TaskDetail: Sendable {
    public var task: TaskRecord
    public var attempts: [AttemptRecord]
    public var artifacts: [ArtifactRecord]
    public var parents: [TaskRecord]

    public init(task: TaskRecord, attempts: [AttemptRecord], artifacts: [ArtifactRecord], parents: [TaskRecord] = []) {
        self.task = task
        self.attempts = attempts
        self.artifacts = artifacts
        self.parents = parents
    }

    public static func load(_ task: TaskRecord, from reader: StoreReader) throws -> TaskDetail {
        let parents = try reader.parents(of: task.id).prefix(50).map { try reader.task($0) }
        return TaskDetail(task: task, attempts: try reader.attempts(of: task.id), artifacts: try reader.artifacts(of: task.id),
                          parents: Array(parents))
    }
}
