import Foundation
import Testing

/// `resources` and `concurrency` through the built binary: real Python tasks write down when
/// they ran, and the tests count how many of those intervals overlapped.
@Suite struct ResourceCommandTests {
    /// A foreach of 6 tasks that each sleep 0.3 s and append `start end` to `log`.
    private func flow(_ settings: String) throws -> (folder: URL, log: URL) {
        let folder = try scratchFolder("resources")
        try """
            import time

            def items():
                return list(range(6))

            def work(item, log):
                start = time.time()
                time.sleep(0.3)
                with open(log, "a") as file:
                    file.write(f"{start} {time.time()}\\n")
            """.write(to: folder.appendingPathComponent("steps.py"), atomically: true, encoding: .utf8)
        let log = folder.appendingPathComponent("times.log")
        try """
            flowspec: 1
            name: Budget
            steps:
              start: {run: steps.py:items, outputs: items, next: each}
              each:
                foreach: items
                run: steps.py:work
                with: {log: \(String(reflecting: log.path))}
                \(settings)
                next: join
              join: {join: true, next: end}
              end: {}
            """.write(to: folder.appendingPathComponent("flow.yaml"), atomically: true, encoding: .utf8)
        return (folder, log)
    }

    private func run(_ settings: String, _ options: [String]) throws -> (outcome: Outcome, mostAtOnce: Int) {
        let (folder, log) = try flow(settings)
        let outcome = try flowspec(["run", "flow.yaml", "--store", "store"] + options, in: folder)
        #expect(outcome.status == 0, "\(outcome.stderr)")
        return (outcome, try mostAtOnce(log))
    }

    /// The most intervals of the log that overlapped at one instant.
    private func mostAtOnce(_ log: URL) throws -> Int {
        let intervals = try String(contentsOf: log, encoding: .utf8).split(separator: "\n").map { line in
            line.split(separator: " ").compactMap { Double($0) }
        }
        #expect(intervals.count == 6 && intervals.allSatisfy { $0.count == 2 })
        // An end sorts before a start at the same instant: touching intervals do not overlap.
        let events: [(time: Double, change: Int)] = intervals.flatMap { [($0[0], 1), ($0[1], -1)] }
        var now = 0, most = 0
        for event in events.sorted(by: { ($0.time, $0.change) < ($1.time, $1.change) }) {
            now += event.change
            most = max(most, now)
        }
        return most
    }

    @Test func tasksOfTwoCPUsOnABudgetOfTwoNeverOverlap() throws {
        #expect(try run("resources: {cpu: 2}", ["--max-cpu", "2", "--max-workers", "4"]).mostAtOnce == 1)
        #expect(try run("resources: {cpu: 2}", ["--max-cpu", "8", "--max-workers", "4"]).mostAtOnce >= 2,
                "with room for them, the same tasks do overlap")
    }

    @Test func memoryBoundsTheTasksAtOnce() throws {
        #expect(try run("resources: {memory: 3G}", ["--max-memory", "4G", "--max-cpu", "8", "--max-workers", "4"]).mostAtOnce == 1)
        #expect(try run("resources: {memory: 1G}", ["--max-memory", "4G", "--max-cpu", "8", "--max-workers", "4"]).mostAtOnce >= 2)
    }

    @Test func concurrencyOneRunsTheStepsTasksOneAtATime() throws {
        #expect(try run("concurrency: 1", ["--max-cpu", "8", "--max-workers", "4"]).mostAtOnce == 1)
        #expect(try run("concurrency: 3", ["--max-cpu", "8", "--max-workers", "4"]).mostAtOnce >= 2)
    }

    @Test func aStepAskingForMoreThanTheRunHasFailsBeforeAnythingRuns() throws {
        let (folder, log) = try flow("resources: {cpu: 64, memory: 2G}")
        let outcome = try flowspec(["run", "flow.yaml", "--store", "store", "--max-memory", "1G"], in: folder)
        #expect(outcome.status == 1)
        #expect(outcome.stdout.isEmpty, "no run is recorded")
        #expect(outcome.stderr.contains("error: step 'each' asks for cpu 64 but the run may use "))
        #expect(outcome.stderr.contains("(this machine's cores), so it could never start; lower its resources.cpu, or raise --max-cpu to at least 64"))
        #expect(outcome.stderr.contains("error: step 'each' asks for memory 2G but the run may use 1G (--max-memory), so it could never start; lower its resources.memory, or raise --max-memory to at least 2G"))
        #expect(!FileManager.default.fileExists(atPath: log.path))
        let (plain, _) = try flow("")
        let implicit = try flowspec(["run", "flow.yaml", "--store", "store", "--max-cpu", "0.5"], in: plain)
        #expect(implicit.status == 1)
        #expect(implicit.stderr.contains("error: step 'start' asks for cpu 1 (the default) but the run may use 0.5 (--max-cpu)"))
    }

    @Test func aGPUIsPassedOnButNotReservedAndSaysSoOnce() throws {
        let (outcome, _) = try run("resources: {gpu: 1}", ["--max-cpu", "8"])
        let warning = "warning: step 'each' asks for a GPU; the local executor does not reserve GPUs"
        #expect(outcome.stderr.components(separatedBy: warning).count == 2, "\(outcome.stderr)")
    }

    @Test func badLimitsAreUsageErrors() throws {
        let (folder, _) = try flow("")
        let memory = try flowspec(["run", "flow.yaml", "--store", "store", "--max-memory", "4GB"], in: folder)
        #expect(memory.status == 2)
        #expect(memory.stderr.contains("--max-memory '4GB' is not a memory size"))
        let cpu = try flowspec(["run", "flow.yaml", "--store", "store", "--max-cpu", "0"], in: folder)
        #expect(cpu.status == 2)
    }
}
