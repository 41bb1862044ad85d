import FlowEngine
import FlowRuntime
import FlowStore
import Foundation
import Testing

/// The run's heartbeat is written on a timer, so a task that runs a long time without any
/// task event does not make the run look dead to readers on other hosts; and it stops when the
/// run ends.
@Suite struct HeartbeatTests {
    private static let interval = Duration.milliseconds(20)

    /// The heartbeat read by a reader of the store, as the one running task waits.
    private static func heartbeat(_ store: String) -> (created: Int64, heartbeat: Int64)? {
        guard let run = try? StoreReader(path: store).runs(flow: "Tiny").first else { return nil }
        return (run.createdAt, run.heartbeatAt)
    }

    @Test func theHeartbeatAdvancesWhileATaskRunsWithoutTaskEvents() async throws {
        let project = try Project(catches: true)
        defer { project.remove() }
        let executor = Project.executor()
        let seen = Seen()
        // The end step waits, running, until a reader sees the heartbeat move past the run's
        // start; it gives up after a minute, which fails the test below.
        executor.beforeTask = { [store = project.store] request in
            guard request.key.step == "end" else { return }
            let deadline = ContinuousClock.now + .seconds(60)
            while ContinuousClock.now < deadline {
                if let times = Self.heartbeat(store), times.heartbeat > times.created {
                    seen.mark()
                    return
                }
                try? await Task.sleep(for: .milliseconds(10))
            }
        }
        let outcome = await project.run(executor: executor, options: .init(heartbeatInterval: Self.interval))
        guard case .finished(let finished) = outcome else { Issue.record("not finished: \(outcome)"); return }
        #expect(finished.outcome.status == .completed)
        #expect(seen.value, "no heartbeat was written while the end step ran")
    }

    /// Once `finish` returns, the recorder writes nothing more, though it lives on: the run's end
    /// is recorded after it, by another thread.
    @Test func theHeartbeatStopsWhenTheRecorderFinishes() async throws {
        let project = try Project()
        defer { project.remove() }
        let store = try StoreWriter(path: project.store)
        let run = try store.beginRun(NewRun(flow: "Tiny"))
        let recorder = RunRecorder(store: store, run: run, heartbeatInterval: Self.interval)
        let deadline = ContinuousClock.now + .seconds(60)
        while let times = Self.heartbeat(project.store), times.heartbeat == times.created, ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(10))
        }
        #expect(recorder.finish() == nil)
        let last = try #require(Self.heartbeat(project.store)).heartbeat
        #expect(last > (Self.heartbeat(project.store)?.created ?? .max), "the recorder never beat")
        // Ten intervals later, a heartbeat still beating would have moved it.
        try await Task.sleep(for: Self.interval * 10)
        #expect(Self.heartbeat(project.store)?.heartbeat == last)
        withExtendedLifetime(recorder) {}
    }
}

/// Set once, from another task.
final class Seen: @unchecked Sendable {
    private let lock = NSLock()
    private var seen = false
    var value: Bool { lock.withLock { seen } }
    func mark() { lock.withLock { seen = true } }
}
