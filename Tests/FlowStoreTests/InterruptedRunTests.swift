import Glibc
import Testing
@testable import FlowStore

@Suite struct InterruptedRunTests {
    /// A pid that no process has: past the largest pid the kernel hands out.
    private func deadPID() -> Int32 {
        var pid: Int32 = 4_194_000
        while kill(pid, 0) == 0 || errno != ESRCH { pid += 1 }
        return pid
    }

    @Test func marksRunsWhoseSchedulerIsGone() throws {
        let store = TemporaryStore()
        let writer = try StoreWriter(path: store.path)
        let dead = try writer.beginRun(NewRun(flow: "F"))
        try writer.recordStep(run: dead, name: "start", position: 0, kind: "start")
        let attempt = try writer.startTask(run: dead, step: "start")
        let alive = try writer.beginRun(NewRun(flow: "F"))
        let elsewhere = try writer.beginRun(NewRun(flow: "F"))
        try writer.database.run("UPDATE runs SET scheduler_pid = ? WHERE id = ?", [deadPID(), dead.rawValue])
        try writer.database.run("UPDATE runs SET scheduler_pid = ?, scheduler_host = 'other-host' WHERE id = ?",
                                [deadPID(), elsewhere.rawValue])

        let reader = try StoreReader(path: store.path)
        #expect(reader.observedStatus(of: try reader.run(dead.rawValue)) == .interrupted)
        #expect(reader.observedStatus(of: try reader.run(alive.rawValue)) == .running)
        #expect(reader.observedStatus(of: try reader.run(elsewhere.rawValue)) == .running)
        #expect(reader.observedStatus(of: try reader.run(elsewhere.rawValue), staleAfter: -1) == .interrupted)

        #expect(try reader.task(attempt.task).status == .interrupted, "running, its scheduler gone")
        #expect(try writer.markInterruptedRuns() == [dead])
        #expect(try reader.run(dead.rawValue).status == .interrupted)
        #expect(try reader.run(dead.rawValue).finishedAt != nil)
        #expect(try reader.run(alive.rawValue).status == .running)
        #expect(try reader.run(elsewhere.rawValue).status == .running)
        #expect(try writer.database.queryFirst("SELECT status FROM tasks WHERE id = ?", [attempt.task.rawValue]) { $0.string(0) } == "failed")
        #expect(try reader.task(attempt.task).status == .interrupted, "failed by the stop")
        #expect(try reader.attempts(of: attempt.task).first?.error?.kind == "interrupted")
        #expect(try writer.markInterruptedRuns().isEmpty)
    }

    @Test func aReusedPIDDoesNotKeepARunAlive() throws {
        guard System.processStart(System.processID) != nil else { return }  // no /proc here
        let store = TemporaryStore()
        let writer = try StoreWriter(path: store.path)
        let run = try writer.beginRun(NewRun(flow: "F"))
        // Our own pid, but a start time that is not ours: the pid was reused.
        try writer.database.run("UPDATE runs SET scheduler_start = scheduler_start + 1 WHERE id = ?", [run.rawValue])
        #expect(try writer.markInterruptedRuns() == [run])
    }
}
