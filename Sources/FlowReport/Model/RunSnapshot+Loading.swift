import FlowStore
import Glibc

extension RunSnapshot {
    /// Reads the run from the store: a handful of queries, whatever its number of tasks.
    public static func load(_ run: RunRecord, from reader: StoreReader) throws -> RunSnapshot {
        let steps = try reader.steps(of: run.id)
        let tasks = try reader.allTasks(of: run)
        let attempts = Dictionary(grouping: try reader.attemptTimings(of: run.id), by: \.task)
        let spec = try run.specBlob.map { blob -> (text: String, file: String) in
            (String(decoding: try reader.readBlob(blob), as: UTF8.self), run.specPath ?? "flow.yaml")
        }
        let graph = try GraphShape.of(steps: steps, spec: spec) {
            try reader.stepEdges(of: run.id).map { GraphShape.Edge(from: $0.from, to: $0.to) }
        }
        return RunSnapshot(
            run: run, status: reader.observedStatus(of: run), failure: try reader.failure(of: run.id), steps: steps,
            graph: graph, tasks: tasks, attempts: attempts, environments: try reader.environments(of: run.id),
            readAt: Self.now())
    }

    static func now() -> Timestamp {
        var time = timespec()
        clock_gettime(CLOCK_REALTIME, &time)
        return Int64(time.tv_sec) * 1000 + Int64(time.tv_nsec) / 1_000_000
    }
}
