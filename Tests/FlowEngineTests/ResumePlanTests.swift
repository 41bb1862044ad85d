import FlowEngine
import FlowRuntime
import FlowStore
import Foundation
import Testing

/// Why each task of an earlier run is reused or run again.
@Suite struct ResumePlanTests {
    private typealias Reason = ResumePlan.Reason

    private func reasons(_ plan: ResumePlan) -> [String: Reason] {
        Dictionary(uniqueKeysWithValues: plan.decisions.map { ($0.key.description, $0.reason) })
    }

    @Test func aFailedTaskRunsAgainAndWhatFollowsItWasNeverRecorded() async throws {
        let project = try Project()
        defer { project.remove() }
        _ = await project.run()
        let plan = try ResumePlan.load(store: project.store, run: "latest", plan: project.plan, from: nil)
        #expect(reasons(plan) == ["start": .completed, "work/0": .completed, "work/1": .notCompleted(.failed), "work/2": .completed])
        #expect(plan.unrecordedSteps == ["total", "end"])
        #expect(Set(plan.reused.keys.map(\.description)) == ["start", "work/0", "work/2"])
        #expect(plan.reusableSummary == "start (1), work (2)")
    }

    /// A caught failure counts as completed: its task is taken with the error it stored.
    @Test func aCaughtFailureIsReused() async throws {
        let project = try Project(catches: true)
        defer { project.remove() }
        _ = await project.run()
        let plan = try ResumePlan.load(store: project.store, run: "latest", plan: project.plan, from: nil)
        #expect(reasons(plan) == ["start": .completed, "work/0": .completed, "work/1": .completed, "work/2": .completed,
                                  "total": .completed, "end": .completed])
        #expect(plan.unrecordedSteps.isEmpty)
    }

    /// A spec edited since: the tasks of a step it no longer has are not taken. Those after it
    /// stay candidates: the run takes one only while its key (its inputs among it) matches.
    @Test func aStepTheSpecNoLongerHasIsNotTaken() async throws {
        let project = try Project()
        defer { project.remove() }
        _ = await project.run()
        let edited = try project.plan(renamingStartTo: "begin")
        let plan = try ResumePlan.load(store: project.store, run: "latest", plan: edited, from: nil)
        #expect(reasons(plan) == ["start": .stepGone, "work/0": .completed, "work/1": .notCompleted(.failed),
                                  "work/2": .completed])
        #expect(plan.unrecordedSteps == ["begin", "total", "end"])
        #expect(Set(plan.reused.keys.map(\.description)) == ["work/0", "work/2"])
        #expect(plan.reused.values.allSatisfy { $0.cacheKey != nil })
    }

    @Test func fromAStepRunsItAndEverythingAfterItAgain() async throws {
        let project = try Project(catches: true)
        defer { project.remove() }
        _ = await project.run()
        let plan = try ResumePlan.load(store: project.store, run: "latest", plan: project.plan, from: "total")
        #expect(reasons(plan) == ["start": .completed, "work/0": .completed, "work/1": .completed, "work/2": .completed,
                                  "total": .from("total"), "end": .from("total")])
        #expect(plan.reusableSummary == "start (1), work (3)")
    }

    /// The resumed run takes what the plan reuses; resuming it in turn finds those tasks reused there.
    @Test func aResumedRunReusesWhatThePlanSaysAndIsResumableItself() async throws {
        let project = try Project()
        defer { project.remove() }
        // One executor for both runs: the values the second takes are in its memory.
        let executor = Project.executor()
        _ = await project.run(executor: executor)
        let first = try ResumePlan.load(store: project.store, run: "latest", plan: project.plan, from: nil)
        executor.define("work", ["x"]) { $0["x"] ?? .null }
        let ranBefore = executor.ran.count
        let outcome = await project.run(.resume(first), executor: executor)
        guard case .finished(let finished) = outcome else { Issue.record("not finished: \(outcome)"); return }
        #expect(finished.outcome.status == .completed)
        #expect(executor.ran.dropFirst(ranBefore) == ["work/1", "total", "end"])
        let second = try ResumePlan.load(store: project.store, run: "latest", plan: project.plan, from: nil)
        #expect(second.run == finished.run)
        #expect(reasons(second) == ["start": .reusedThere, "work/0": .reusedThere, "work/1": .completed, "work/2": .reusedThere,
                                    "total": .completed, "end": .completed])
    }
}
