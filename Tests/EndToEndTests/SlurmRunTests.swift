import FlowStore
import Foundation
import Testing

/// `flowspec run` with steps on the real single-node Slurm cluster that scripts/test.sh starts
/// (scripts/slurm/start.sh sets SLURM_CONF). Serialized: the node has two cpus, and each test
/// counts the jobs its run leaves.
@Suite(.serialized, .enabled(if: ProcessInfo.processInfo.environment["SLURM_CONF"] != nil,
                             "SLURM_CONF is not set: no Slurm cluster; scripts/test.sh starts one"))
final class SlurmRunTests {
    private let lock: ClusterLock
    let folder: URL
    var store: String { folder.appendingPathComponent("store").path }

    init() async throws {
        lock = await ClusterLock.acquire()
        folder = try scratchFolder("slurm-run")
    }

    func write(_ spec: String, steps: String) throws {
        try steps.write(to: folder.appendingPathComponent("steps.py"), atomically: true, encoding: .utf8)
        try spec.write(to: folder.appendingPathComponent("s.yaml"), atomically: true, encoding: .utf8)
    }

    func run(_ arguments: [String] = [], command: String = "run") throws -> Outcome {
        try flowspec([command, "s.yaml", "--store", store] + arguments, in: folder)
    }

    func attempts(_ step: String) throws -> [AttemptRecord] {
        let reader = try StoreReader(path: store)
        return try reader.attempts(of: try reader.task(run: try reader.run("latest").id, step: step).id)
    }

    /// The run's jobs Slurm still has queued or running (squeue's default states).
    func liveJobs() throws -> [String] {
        let run = try StoreReader(path: store).run("latest").id
        let listed = try runProgram(["/usr/bin/squeue", "--noheader", "--format=%i %j"])
        return listed.stdout.split(separator: "\n").map(String.init).filter { $0.contains("flowspec-\(run)-") }
    }

    @Test func aLocalStepAndASlurmStepRunInOneRunWithTheResourcesAskedFor() throws {
        try write("""
            flowspec: 1
            name: Mixed
            steps:
              start: {run: steps.py:start, outputs: n, next: on_node}
              on_node: {run: steps.py:on_node, executor: slurm, resources: {cpu: 2, memory: 300M}, outputs: [got, seen]}
            """, steps: """
            import os
            def start():
                return 21
            def on_node(n):
                print("job", os.environ["SLURM_JOB_ID"])
                return n * 2, os.environ["SLURM_CPUS_PER_TASK"] + " " + os.environ["SLURM_MEM_PER_NODE"]
            """)
        let outcome = try run()
        #expect(outcome.status == 0, "\(outcome.stderr)")
        #expect(outcome.stdout.contains("[on_node] job "), "what the job printed is shown: \(outcome.stdout)")
        let reader = try StoreReader(path: store)
        let artifacts = try #require(try reader.runArtifacts(of: try reader.run("latest").id)).mapValues(\.value.repr)
        #expect(artifacts["got"] == "42")
        #expect(artifacts["seen"] == "'2 300'", "the job got --cpus-per-task=2 and --mem=300M")
        #expect(try attempts("start").first?.job == nil, "start ran locally")
        let job = try #require(try attempts("on_node").first?.job)
        #expect(job.state == "COMPLETED" && job.node?.isEmpty == false)
        let inspected = try flowspec(["inspect", "Mixed/latest/on_node", "--store", store], in: folder)
        #expect(inspected.stdout.contains("Slurm job \(job.id) on \(job.node ?? "") (COMPLETED)"), "\(inspected.stdout)")
        let logs = try flowspec(["logs", "Mixed/latest/on_node", "--store", store], in: folder)
        #expect(logs.stdout.contains("job \(job.id)"), "\(logs.stdout)")
        #expect(!FileManager.default.fileExists(atPath: store + "/jobs"), "the job files are removed once recorded")
        #expect(try liveJobs().isEmpty)
    }

    /// Two tasks of 2 cpus each on a node of 2: one job waits in the queue while the other runs,
    /// and progress counts it as pending, apart from running.
    @Test func progressCountsJobsWaitingInTheQueueAsPending() throws {
        try write("""
            flowspec: 1
            name: P
            steps:
              start: {run: steps.py:items, outputs: items, next: work}
              work: {run: steps.py:work, foreach: items, executor: slurm, resources: {cpu: 2}, next: done}
              done: {run: steps.py:done, join: true}
            """, steps: "import time\ndef items():\n    return [1, 2]\ndef work(item):\n    time.sleep(3)\ndef done():\n    pass\n")
        let outcome = try flowspec(["run", "s.yaml", "--store", store, "-q"], in: folder, env: ["FLOWSPEC_PROGRESS_INTERVAL": "0.5"])
        #expect(outcome.status == 0, "\(outcome.stderr)")
        #expect(outcome.stderr.contains("1 running, 1 pending; work 0/2  running 1  pending 1"), "\(outcome.stderr)")
    }

    @Test func theRunsExecutorIsTheDefaultOfStepsThatNameNone() throws {
        try write("""
            flowspec: 1
            name: E
            steps:
              start: {run: steps.py:one, outputs: n, next: end}
              end: {run: steps.py:one, executor: local}
            """, steps: "def one():\n    return 1\n")
        let outcome = try run(["--executor", "slurm", "--slurm-partition", "debug"])
        #expect(outcome.status == 0, "\(outcome.stderr)")
        #expect(try attempts("start").first?.job != nil, "--executor slurm sends start to Slurm")
        #expect(try attempts("end").first?.job == nil, "a step's own executor: local wins over --executor slurm")
        let unknown = try run(["--executor", "slurm", "--slurm-partition", "nowhere"])
        #expect(unknown.status == 1)
        let refused = try attempts("start").first?.error
        #expect(refused?.kind == "worker" && refused?.message.contains("sbatch refused the job") == true, "\(String(describing: refused))")
        #expect(refused?.message.contains("partition") == true, "\(String(describing: refused))")
        let failedRun = try #require(unknown.stdout.split(separator: "\n").first.map(String.init))
        let resumed = try flowspec(["resume", "s.yaml", failedRun, "--store", store, "--executor", "slurm"], in: folder)
        #expect(resumed.status == 0, "\(resumed.stderr)")
        #expect(try attempts("start").first?.job?.state == "COMPLETED", "resume --executor slurm runs start on Slurm")
    }

    @Test func aJobPastTheStepsTimeoutIsCancelledAndRetried() throws {
        try write("""
            flowspec: 1
            name: T
            steps:
              start: {run: steps.py:slow, executor: slurm, timeout: 2s, retry: 1}
            """, steps: "import time\ndef slow():\n    time.sleep(120)\n")
        let started = Date()
        let outcome = try run()
        #expect(outcome.status == 1)
        #expect(Date().timeIntervalSince(started) < 40, "the exact timeout, not Slurm's minute")
        let tried = try attempts("start")
        #expect(tried.count == 2, "retry applies")
        for attempt in tried {
            #expect(attempt.error?.kind == "timeout")
            #expect(attempt.error?.message.contains("timeout of 2s") == true && attempt.error?.message.contains("Slurm job \(attempt.job?.id ?? "?")") == true,
                    "\(String(describing: attempt.error))")
            #expect(attempt.job?.state == "CANCELLED")
        }
        #expect(try liveJobs().isEmpty)
    }

    @Test func aJobCancelledBySomeoneElseIsAFailedAttemptNamingIt() throws {
        let marker = folder.appendingPathComponent("job-id").path
        try write("""
            flowspec: 1
            name: C
            steps:
              start: {run: steps.py:wait}
            """, steps: """
            import os, time
            def wait():
                open(\(pythonString(marker)), "w").write(os.environ["SLURM_JOB_ID"])
                time.sleep(120)
            """)
        let process = try startRun(["--executor", "slurm"])
        let id = try waitForFile(marker)
        #expect(try runProgram(["/usr/bin/scancel", id]).status == 0)
        process.waitUntilExit()
        #expect(process.terminationStatus == 1)
        let attempt = try #require(try attempts("start").last)
        #expect(attempt.error?.kind == "lost")
        #expect(attempt.error?.message == "Slurm job \(id) was cancelled (state CANCELLED)", "\(String(describing: attempt.error))")
        #expect(attempt.job?.id == id)
    }

    /// slurmd killed under the running job: the controller marks the node down after
    /// SlurmdTimeout and the job NODE_FAIL; the node comes back for the tests after this one.
    @Test func aJobLostWithItsNodeIsAFailedAttemptNamingIt() throws {
        let marker = folder.appendingPathComponent("job-id").path
        try write("""
            flowspec: 1
            name: L
            steps:
              start: {run: steps.py:wait, executor: slurm}
            """, steps: """
            import os, time
            def wait():
                open(\(pythonString(marker)), "w").write(os.environ["SLURM_JOB_ID"])
                time.sleep(120)
            """)
        let process = try startRun()
        let id = try waitForFile(marker)
        let slurm = try #require(ProcessInfo.processInfo.environment["FLOWSPEC_SLURM_DIR"])
        let node = repositoryRoot.appendingPathComponent("scripts/slurm/node.sh").path
        #expect(try runProgram([node, "kill", slurm]).status == 0)
        defer { _ = try? runProgram([node, "start", slurm]) }
        process.waitUntilExit()
        #expect(process.terminationStatus == 1)
        let attempt = try #require(try attempts("start").last)
        #expect(attempt.error?.kind == "lost")
        #expect(attempt.error?.message.hasPrefix("Slurm job \(id) was lost with its node") == true, "\(String(describing: attempt.error))")
        #expect(attempt.job?.state == "NODE_FAIL")
    }

    @Test func aJobOverItsMemoryIsKilledAndSaysSo() throws {
        try write("""
            flowspec: 1
            name: M
            steps:
              start: {run: steps.py:hog, executor: slurm, resources: {memory: 60M}}
            """, steps: "import time\ndef hog():\n    x = bytearray(400 << 20)\n    time.sleep(30)\n")
        let outcome = try run()
        #expect(outcome.status == 1)
        let attempt = try #require(try attempts("start").last)
        #expect(attempt.error?.kind == "lost")
        #expect(attempt.error?.message.contains("was killed for using more memory than it asked for") == true,
                "\(String(describing: attempt.error))")
    }

    @Test func aJobThatCanNeverStartFailsFast() throws {
        // A job that waits on one that failed can never start (DependencyNeverSatisfied).
        let failed = try runProgram(["/usr/bin/sbatch", "--parsable", "--output=/dev/null", "--wrap=exit 3"])
        let failedID = failed.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(!failedID.isEmpty, "\(failed.stderr)")
        let deadline = Date().addingTimeInterval(30)
        while Date() < deadline, !(try runProgram(["/usr/bin/squeue", "--noheader", "--states=all", "--jobs=\(failedID)", "--format=%T"]))
            .stdout.contains("FAILED") { usleep(100_000) }
        try write("""
            flowspec: 1
            name: N
            steps:
              start: {run: steps.py:one, executor: slurm, slurm: {extra: ["--dependency=afterok:\(failedID)"]}}
            """, steps: "def one():\n    return 1\n")
        let started = Date()
        let outcome = try run()
        #expect(outcome.status == 1)
        #expect(Date().timeIntervalSince(started) < 30)
        let attempt = try #require(try attempts("start").last)
        #expect(attempt.error?.kind == "worker")
        #expect(attempt.error?.message.contains("can never start: Slurm holds it for DependencyNeverSatisfied") == true,
                "\(String(describing: attempt.error))")
        #expect(try liveJobs().isEmpty)
    }

    @Test(arguments: [SIGINT, SIGTERM])
    func aStoppedRunCancelsItsJobs(signal: Int32) throws {
        let marker = folder.appendingPathComponent("job-id").path
        try write("""
            flowspec: 1
            name: Stop
            steps:
              start: {run: steps.py:wait, executor: slurm}
            """, steps: """
            import os, time
            def wait():
                open(\(pythonString(marker)), "a").write(os.environ["SLURM_JOB_ID"] + "\\n")
                time.sleep(120)
            """)
        let process = try startRun()
        _ = try waitForFile(marker)
        #expect(try !liveJobs().isEmpty)
        kill(process.processIdentifier, signal)
        process.waitUntilExit()
        #expect(process.terminationStatus == 128 + signal)
        #expect(try liveJobs().isEmpty, "no job of the run is left queued or running")
        let reader = try StoreReader(path: store)
        #expect(try reader.run("latest").status == .interrupted)
        let attempt = try #require(try attempts("start").first)
        #expect(attempt.error?.kind == "interrupted" && attempt.job != nil)
    }

    /// After `kill -9` of the scheduler its job runs on; `resume` cancels it before it runs the
    /// task again, and takes nothing from it.
    @Test func aResumeCancelsTheJobsOfTheKilledRun() throws {
        let marker = folder.appendingPathComponent("job-id").path
        try write("""
            flowspec: 1
            name: K
            steps:
              start: {run: steps.py:once, executor: slurm, outputs: n}
            """, steps: """
            import os, time
            def once():
                if os.path.exists(\(pythonString(marker))):
                    return 2
                open(\(pythonString(marker)), "w").write(os.environ["SLURM_JOB_ID"])
                time.sleep(120)
                return 1
            """)
        let process = try startRun()
        let id = try waitForFile(marker)
        let killed = try StoreReader(path: store).run("latest").id
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        #expect(try liveJobs().count == 1, "the killed scheduler's job runs on")
        let resumed = try flowspec(["resume", "s.yaml", "K/\(killed)", "--store", store], in: folder)
        #expect(resumed.status == 0, "\(resumed.stderr)")
        let listed = try runProgram(["/usr/bin/squeue", "--noheader", "--states=all", "--jobs=\(id)", "--format=%T"])
        #expect(listed.stdout.contains("CANCELLED"), "job \(id): \(listed.stdout)")
        let reader = try StoreReader(path: store)
        let artifacts = try #require(try reader.runArtifacts(of: try reader.run("latest").id)).mapValues(\.value.repr)
        #expect(artifacts["n"] == "2", "the resumed run's own task made the value")
    }

    // MARK: - Helpers (SlurmPilotTests use them too)

    func startRun(_ arguments: [String] = []) throws -> Process {
        let process = Process()
        process.executableURL = flowspecBinary
        process.arguments = ["run", "s.yaml", "--store", store, "-q"] + arguments
        process.currentDirectoryURL = folder
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        return process
    }

    /// The first line of `path` once a job wrote one.
    func waitForFile(_ path: String) throws -> String {
        let deadline = Date().addingTimeInterval(60)
        while Date() < deadline {
            if let text = try? String(contentsOfFile: path, encoding: .utf8), let line = text.split(separator: "\n").first {
                return String(line)
            }
            usleep(50_000)
        }
        throw SlurmTestError("no job wrote \(path) within 60 s")
    }

    func pythonString(_ text: String) -> String {
        "'" + text.replacingOccurrences(of: "'", with: "\\'") + "'"
    }
}

struct SlurmTestError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// The cluster, one test at a time across the test targets (ClusterTests, SlurmRunTests), which
/// run at once in one process: one test takes the node down, and the node has two cpus. An
/// exclusive `flock` on FLOWSPEC_SLURM_DIR/tests.lock, held from a test's init to its deinit,
/// waited for without holding a thread (the tests' threads are as many as the cores).
final class ClusterLock: Sendable {
    private let descriptor: Int32

    private init(_ descriptor: Int32) { self.descriptor = descriptor }

    static func acquire() async -> ClusterLock {
        let folder = ProcessInfo.processInfo.environment["FLOWSPEC_SLURM_DIR"] ?? NSTemporaryDirectory()
        let descriptor = open(folder + "/tests.lock", O_CREAT | O_RDWR | O_CLOEXEC, 0o644)
        while flock(descriptor, LOCK_EX | LOCK_NB) != 0 { try? await Task.sleep(nanoseconds: 50_000_000) }
        return ClusterLock(descriptor)
    }

    deinit { close(descriptor) }
}
