import FlowStore
import Foundation
import Testing

/// `slurm.pilots` on the real cluster: a step's tasks in a few long-lived jobs that connect
/// back to the scheduler. Part of `SlurmRunTests`, so one test at a time holds the cluster.
extension SlurmRunTests {
    /// The run's task attempts of `step`, every task.
    private func stepAttempts(_ step: String) throws -> [AttemptRecord] {
        let reader = try StoreReader(path: store)
        let run = try reader.run("latest").id
        return try reader.tasks(of: run, step: step).flatMap { try reader.attempts(of: $0.id) }
    }

    @Test func pilotsRunAForeachInAFewJobsThatEndWithTheirStep() throws {
        try write("""
            flowspec: 1
            name: P
            steps:
              start: {run: steps.py:items, outputs: items, next: work}
              work:
                foreach: items
                run: steps.py:work
                args: {x: item}
                outputs: row
                executor: slurm
                resources: {cpu: 1, memory: 150M}
                slurm: {pilots: 2}
                next: gather
              gather: {join: true, run: steps.py:gather, args: {rows: inputs.row}, outputs: [total, seen], next: after}
              after: {run: steps.py:pilots_left, outputs: left, next: end}
              end: {}
            """, steps: """
            import os, subprocess, time

            def items():
                return list(range(12))

            def work(x):
                print(f"task {x} says hello")
                return (x * 2, os.environ["SLURM_JOB_ID"], os.environ["SLURM_CPUS_PER_TASK"], os.environ["SLURM_MEM_PER_NODE"])

            def gather(rows):
                return sum(r[0] for r in rows), sorted({tuple(r[1:]) for r in rows})

            def pilots_left():
                # The step has no task left: its pilots end within moments (COMPLETING counts).
                for _ in range(50):
                    names = subprocess.run(["squeue", "--noheader", "--format=%j"], capture_output=True, text=True).stdout
                    if "-work" not in names:
                        return 0
                    time.sleep(0.1)
                return len([n for n in names.split() if n.endswith("-work")])
            """)
        let outcome = try run()
        #expect(outcome.status == 0, "\(outcome.stderr)")
        let reader = try StoreReader(path: store)
        let artifacts = try #require(try reader.runArtifacts(of: try reader.run("latest").id))
        #expect(artifacts["total"]?.value.repr == "132")
        #expect(artifacts["left"]?.value.repr == "0", "the pilots ended with their step")
        // At most two jobs ran the twelve tasks, each with the resources the step asked for.
        let seen = try #require(artifacts["seen"]?.value.repr)
        #expect(seen.contains("'1', '150')"), "\(seen)")
        let jobs = Set(try stepAttempts("work").compactMap(\.job?.id))
        #expect((1...2).contains(jobs.count), "\(jobs)")
        let logs = try flowspec(["logs", "latest/work/5", "--store", store], in: folder)
        #expect(logs.stdout.contains("task 5 says hello"), "\(logs.stdout)")
        #expect(try liveJobs().isEmpty)
    }

    /// A task's exception fails the attempt, not the pilot; a pilot past the task's timeout is
    /// cancelled and replaced for the retry.
    @Test func aPilotOutlivesAnExceptionAndATimeoutCancelsIt() throws {
        let marker = folder.appendingPathComponent("tried").path
        try write("""
            flowspec: 1
            name: F
            steps:
              start: {run: steps.py:items, outputs: items, next: work}
              work: {foreach: items, run: steps.py:work, args: {x: item}, outputs: r, executor: slurm,
                     slurm: {pilots: 1}, retry: 1, next: join}
              join: {join: true, next: slow}
              slow: {run: steps.py:slow, executor: slurm, slurm: {pilots: 1}, retry: 1, timeout: 3s, next: end}
              end: {}
            """, steps: """
            import os, time

            def items():
                return ["flaky", "fine"]

            def work(x):
                if x == "flaky" and not os.path.exists(\(pythonString(marker))):
                    open(\(pythonString(marker)), "w").write("once")
                    raise ValueError("the first attempt fails")
                return x

            def slow():
                time.sleep(60)
            """)
        let started = Date()
        let outcome = try run()
        #expect(outcome.status == 1)
        #expect(Date().timeIntervalSince(started) < 40)
        let work = try stepAttempts("work")
        #expect(work.map(\.status).sorted { "\($0)" < "\($1)" } == [.completed, .completed, .failed])
        #expect(work.contains { $0.error?.message == "the first attempt fails" })
        #expect(Set(work.compactMap(\.job?.id)).count == 1, "one pilot ran all three attempts")
        let slow = try attempts("slow")
        #expect(slow.count == 2 && slow.allSatisfy { $0.error?.kind == "timeout" })
        #expect(slow.first?.error?.message.contains("(Slurm pilot job \(slow[0].job?.id ?? "?") cancelled)") == true,
                "\(String(describing: slow.first?.error))")
        #expect(Set(slow.compactMap(\.job?.id)).count == 2, "a new pilot for the retry")
        #expect(try liveJobs().isEmpty)
    }

    @Test func aPilotCancelledBySomeoneElseFailsItsTaskAndIsReplaced() throws {
        let marker = folder.appendingPathComponent("job-id").path
        try write("""
            flowspec: 1
            name: C
            steps:
              start: {run: steps.py:work, outputs: r, executor: slurm, slurm: {pilots: 1}, retry: 1}
            """, steps: """
            import os, time

            def work():
                if not os.path.exists(\(pythonString(marker))):
                    open(\(pythonString(marker)), "w").write(os.environ["SLURM_JOB_ID"])
                    time.sleep(120)
                return "second pilot"
            """)
        let process = try startRun()
        let id = try waitForFile(marker)
        #expect(try runProgram(["/usr/bin/scancel", id]).status == 0)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        let attempts = try attempts("start")
        #expect(attempts.count == 2)
        #expect(attempts.first?.error?.kind == "lost")
        #expect(attempts.first?.error?.message.hasPrefix("Slurm pilot job \(id) ended during the task, on ") == true,
                "\(String(describing: attempts.first?.error))")
        #expect(attempts.first?.error?.message.contains("was cancelled (state CANCELLED)") == true)
        #expect(attempts.last?.job?.id != id)
        #expect(try liveJobs().isEmpty)
    }

    @Test func pilotsThatCanNeverStartFailTheirTasksFast() throws {
        try write("""
            flowspec: 1
            name: N
            steps:
              start: {run: steps.py:one, executor: slurm, resources: {cpu: 64}, slurm: {pilots: 3}}
            """, steps: "def one():\n    return 1\n")
        let started = Date()
        let outcome = try run()
        #expect(outcome.status == 1)
        #expect(Date().timeIntervalSince(started) < 30)
        let attempt = try #require(try attempts("start").last)
        #expect(attempt.error?.kind == "worker")
        #expect(attempt.error?.message.hasPrefix("sbatch refused the job") == true || attempt.error?.message.contains("can never start") == true,
                "\(String(describing: attempt.error))")
        #expect(try liveJobs().isEmpty)
    }

    /// `kill -9` of the scheduler mid-task: the pilot sees its connection drop and exits, its
    /// task unfinished; Slurm has no job of the run left moments later.
    @Test func noPilotOutlivesAKilledScheduler() throws {
        let marker = folder.appendingPathComponent("job-id").path
        try write("""
            flowspec: 1
            name: K
            steps:
              start: {run: steps.py:wait, executor: slurm, slurm: {pilots: 1}}
            """, steps: """
            import os, time
            def wait():
                open(\(pythonString(marker)), "w").write(os.environ["SLURM_JOB_ID"])
                time.sleep(120)
            """)
        let process = try startRun()
        _ = try waitForFile(marker)
        #expect(try !liveJobs().isEmpty)
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        let deadline = Date().addingTimeInterval(10)
        while Date() < deadline, try !liveJobs().isEmpty { usleep(100_000) }
        #expect(try liveJobs().isEmpty, "the pilot ended with its connection")
    }
}

extension SlurmRunTests {
    @Test func ctrlCCancelsThePilotsAndTheirTasks() throws {
        let marker = folder.appendingPathComponent("job-id").path
        try write("""
            flowspec: 1
            name: S
            steps:
              start: {run: steps.py:wait, executor: slurm, slurm: {pilots: 1}}
            """, steps: """
            import os, time
            def wait():
                open(\(pythonString(marker)), "w").write(os.environ["SLURM_JOB_ID"])
                time.sleep(120)
            """)
        let process = try startRun()
        _ = try waitForFile(marker)
        kill(process.processIdentifier, SIGINT)
        process.waitUntilExit()
        #expect(process.terminationStatus == 128 + SIGINT)
        #expect(try liveJobs().isEmpty, "no pilot of the run is left queued or running")
        let attempt = try #require(try attempts("start").first)
        #expect(attempt.error?.kind == "interrupted" && attempt.job != nil)
    }

    @Test func aPilotKilledForMemoryFailsItsTaskAndSaysSo() throws {
        try write("""
            flowspec: 1
            name: M
            steps:
              start: {run: steps.py:hog, executor: slurm, resources: {memory: 60M}, slurm: {pilots: 1}}
            """, steps: "import time\ndef hog():\n    x = bytearray(400 << 20)\n    time.sleep(30)\n")
        let outcome = try run()
        #expect(outcome.status == 1)
        let attempt = try #require(try attempts("start").last)
        #expect(attempt.error?.kind == "lost")
        #expect(attempt.error?.message.contains("was killed for using more memory than it asked for") == true,
                "\(String(describing: attempt.error))")
    }
}
