import FlowBasics
import FlowEngine
import FlowRuntime
import FlowStore
import WorkerProtocol
import Foundation
import Testing

/// A `FlowRun` with a scripted executor: what it tells its events, what it returns, and what
/// the store keeps.
@Suite struct FlowRunTests {
    @Test func aRunThatCompletesIsRecordedWithItsTasksAndValues() async throws {
        let project = try Project(catches: true)
        defer { project.remove() }
        let events = HeardEvents()
        let outcome = await project.run(events: events)
        guard case .finished(let finished) = outcome else { Issue.record("not finished: \(outcome)"); return }
        #expect(finished.outcome.status == .completed)
        #expect(finished.outcome.tasksRun == 6)
        #expect(events.all.first == "checked 0")
        #expect(events.all.dropFirst().first == "began")
        #expect(events.all.last == "ended")
        #expect(events.all.contains("finished work/1 failed"))
        let reader = try project.reader
        let run = try reader.run(finished.run.rawValue)
        #expect(run.status == .completed)
        #expect(try reader.steps(of: run.id).map(\.name) == ["start", "work", "total", "end"])
        let end = try #require(try reader.tasks(of: run.id, step: "end").first)
        #expect(try reader.artifacts(of: end.id).map(\.value.repr) == ["int(2)"], "0 + 2: item 1 failed and was caught")
    }

    @Test func aFailedTaskFailsTheRunAndTheStoreSaysWhy() async throws {
        let project = try Project()
        defer { project.remove() }
        let outcome = await project.run()
        guard case .finished(let finished) = outcome else { Issue.record("not finished: \(outcome)"); return }
        #expect(finished.outcome.status == .failed)
        #expect(finished.outcome.failures.map(\.key.description) == ["work/1"])
        let reader = try project.reader
        #expect(try reader.run(finished.run.rawValue).status == .failed)
        #expect(try reader.failure(of: finished.run) == "work/1: ValueError: bad item 1")
    }

    /// The check runs in the request's own environments, by the run's executor, and an error
    /// stops the run before the store is even opened.
    @Test func aCheckThatFindsAnErrorStopsTheRunBeforeAnythingIsStored() async throws {
        let project = try Project()
        defer { project.remove() }
        let executor = Project.executor()
        executor.findings = [CheckFinding(step: "work", kind: .function, message: "steps.py has no function 'work'")]
        let events = HeardEvents()
        let outcome = await project.run(executor: executor, events: events)
        guard case .notStarted(let reason) = outcome else { Issue.record("started: \(outcome)"); return }
        #expect(reason == .checkFailed(errors: 1))
        #expect(events.all == ["checked 1"])
        #expect(events.diagnostics.map(\.message) == ["steps.py has no function 'work'"])
        #expect(executor.checkedIn == project.environments.entries.compactMap(\.python))
        #expect(!FileManager.default.fileExists(atPath: project.store))
    }

    @Test func withoutTheCheckTheExecutorIsNotAskedToCheck() async throws {
        let project = try Project(catches: true)
        defer { project.remove() }
        let executor = Project.executor()
        executor.findings = [CheckFinding(step: "work", kind: .function, message: "not there")]
        let outcome = await project.run(executor: executor, options: .init(checksPython: false))
        guard case .finished(let finished) = outcome else { Issue.record("not finished: \(outcome)"); return }
        #expect(finished.outcome.status == .completed)
        #expect(executor.checkedIn.isEmpty)
    }
}
