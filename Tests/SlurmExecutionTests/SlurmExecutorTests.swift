import FlowBasics
import Foundation
import Testing

@testable import FlowRuntime
@testable import SlurmExecution

/// `SlurmExecutor` against a cluster that runs each job's command at once on this machine when
/// `sbatch` is called, and answers `squeue` with what each test's `state` says of a job: the
/// executor's own logic — batching, the exact timeout, stops, jobs that can never start —
/// without Slurm's timings. ClusterTests and the end-to-end tests run the real cluster.
@Suite struct SlurmExecutorTests {
    private let folder: URL

    init() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("flowspec-slurm-executor-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    }

    /// A `flowspec` stand-in: `task-job FILE` copies the request to the result and prints.
    private func fakeFlowspec() throws -> String {
        let path = folder.appendingPathComponent("flowspec").path
        try "#!/bin/sh\ncp \"$2\" \"${2%.request}.result\"\necho \"ran $2\"\n".write(toFile: path, atomically: true, encoding: .utf8)
        chmod(path, 0o755)
        return path
    }

    private func executor(_ cluster: FakeCluster, timeout: Double? = nil) throws -> SlurmExecutor {
        let setup = SlurmExecutorSetup(client: SlurmClient(runner: cluster), store: folder.path, flowspec: try fakeFlowspec(),
                                       workingDirectory: folder.path, options: [:], pollInterval: 0.02)
        let executor = SlurmExecutor(setup, codec: EchoCodec())
        executor.began(run: "R1")
        return executor
    }

    private func request(_ index: Int, timeout: Double? = nil) -> TaskRequest {
        TaskRequest(key: TaskKey(step: "s", path: [index]), name: "s/\(index)", target: RunTarget(source: .file("a.py"), function: "f"),
                    bound: [:], available: [:], outputs: .single("out"), env: [:], importRoots: [], attempt: 1,
                    timeout: timeout, needs: TaskNeeds(cpu: 2, memory: 300 << 20))
    }

    @Test func manyJobsAreReadWithOneSqueuePerPoll() async throws {
        // Each job is listed as running until all five have been listed, and for its first 3
        // polls: however late a busy machine submits the last, they are all watched at once.
        let listedJobs = JobsSeen()
        let cluster = FakeCluster { id, polls in listedJobs.add(id) < 5 || polls < 3 ? .running : .completed }
        let executor = try executor(cluster)
        let results = await withTaskGroup(of: TaskResult.self) { group in
            for index in 0..<5 { group.addTask { await executor.run(request(index)) } }
            return await group.reduce(into: []) { $0.append($1) }
        }
        #expect(results.allSatisfy { $0.failure == nil && $0.outputs["out"]?.repr.hasPrefix("{\"task\":\"s/") == true })
        #expect(results.allSatisfy { $0.stdout.hasPrefix("ran ") && $0.job?.state == "COMPLETED" && $0.job?.node == "vm" })
        let listed = cluster.squeueCalls.map(\.count)
        #expect(listed.max() == 5, "one squeue call asks for all the watched jobs: \(listed)")
        let submitted = try #require(cluster.submitted.last)
        #expect(submitted.contains("--cpus-per-task=2") && submitted.contains("--mem=300M"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path + "/jobs/R1").isEmpty, "each job's files are removed")
        await executor.shutDown()
        #expect(!FileManager.default.fileExists(atPath: folder.path + "/jobs"), "and the run's folder at its end")
    }

    @Test func aJobPastItsTimeoutIsCancelledAtTheExactTimeout() async throws {
        let cluster = FakeCluster { _, _ in .running }
        // The job is listed as running for ever: only the executor's own timeout ends it. (How
        // soon is measured end to end, in SlurmRunTests: here the test threads may be busy.)
        let result = await try executor(cluster).run(request(0, timeout: 0.3))
        #expect(result.failure?.kind == .timeout)
        #expect(result.failure?.message.contains("timeout of 0.3s") == true)
        #expect(cluster.cancelled.flatMap { $0 } == [result.job?.id].compactMap { $0 })
        #expect(result.job?.state == "CANCELLED")
    }

    @Test func aStopCancelsEveryJobInOneCall() async throws {
        let cluster = FakeCluster { _, _ in .running }
        let executor = try executor(cluster)
        async let first = executor.run(request(0))
        async let second = executor.run(request(1))
        while cluster.submitted.count < 2 { try await Task.sleep(nanoseconds: 10_000_000) }
        try await Task.sleep(nanoseconds: 100_000_000)
        await executor.stop(reason: "stopped by the test")
        let results = await [first, second]
        #expect(results.allSatisfy { $0.failure?.kind == .interrupted && $0.failure?.message == "stopped by the test" })
        #expect(cluster.cancelled.first?.count == 2, "\(cluster.cancelled)")
        let after = await executor.run(request(2))
        #expect(after.failure?.kind == .interrupted && cluster.submitted.count == 2, "nothing is submitted once stopped")
    }

    @Test func aJobThatCanNeverStartIsCancelledAndFails() async throws {
        let cluster = FakeCluster { _, _ in .pending("DependencyNeverSatisfied") }
        let result = await try executor(cluster).run(request(0))
        #expect(result.failure?.kind == .worker)
        #expect(result.failure?.message.contains("can never start: Slurm holds it for DependencyNeverSatisfied") == true,
                "\(String(describing: result.failure))")
        #expect(cluster.cancelled.count == 1)
    }

    @Test func anEndWithoutAResultIsALostAttempt() async throws {
        let cluster = FakeCluster(runsCommands: false) { _, _ in .completed }
        let result = await try executor(cluster).run(request(0))
        #expect(result.failure?.kind == .lost)
        #expect(result.failure?.message.contains("ended without writing its result") == true)
    }
}

/// The request as the result: the response is what the job copied back.
private struct EchoCodec: TaskJobCodec {
    func request(for task: TaskRequest) -> (payload: [UInt8], env: [String: String]) {
        (Array("{\"task\":\"\(task.name)\"}".utf8), ["FLOWSPEC_TEST": "1"])
    }

    func result(of payload: [UInt8]) throws -> TaskResult {
        TaskResult(outputs: ["out": ArtifactRef(blob: String(repeating: "0", count: 64), size: 1, type: "str",
                                                repr: String(decoding: payload, as: UTF8.self))])
    }
}

/// A cluster of one node, `vm`. `sbatch` runs the job's command at once (unless told not to),
/// its output to the `--output` file; `squeue` answers for each job what `state` says after
/// that many polls of it, or CANCELLED once it was cancelled.
/// The jobs a listing has named so far.
private final class JobsSeen: @unchecked Sendable {
    private let lock = NSLock()
    private var jobs: Set<JobID> = []

    /// How many have been seen, `job` included.
    func add(_ job: JobID) -> Int {
        lock.withLock {
            jobs.insert(job)
            return jobs.count
        }
    }
}

private final class FakeCluster: CommandRunner, @unchecked Sendable {
    enum Listed {
        case running, completed
        case pending(String)
    }

    private let lock = NSLock()
    private let state: (JobID, Int) -> Listed
    private let runsCommands: Bool
    private var nextID: UInt32 = 100
    private var polls: [JobID: Int] = [:]
    private var cancelledJobs: Set<JobID> = []
    /// The storage checks' jobs, which complete at once.
    private var checks: Set<JobID> = []
    private(set) var submitted: [[String]] = []
    private(set) var squeueCalls: [[JobID]] = []
    private(set) var cancelled: [[String]] = []

    init(runsCommands: Bool = true, state: @escaping (JobID, Int) -> Listed) {
        self.state = state
        self.runsCommands = runsCommands
    }

    func run(_ arguments: [String]) throws(SlurmError) -> CommandOutput {
        switch arguments[0] {
        case "sbatch": return submit(arguments)
        case "squeue": return list(arguments)
        case "scancel":
            lock.withLock {
                cancelled.append(Array(arguments.dropFirst()))
                cancelledJobs.formUnion(arguments.dropFirst().compactMap { JobID(parsing: $0) })
            }
            return CommandOutput(status: 0, stdout: "", stderr: "")
        default: return CommandOutput(status: 1, stdout: "", stderr: "unknown command")
        }
    }

    private func submit(_ arguments: [String]) -> CommandOutput {
        let check = arguments.contains("--job-name=flowspec-storage-check")
        let id = lock.withLock { () -> UInt32 in
            nextID += 1
            if check { checks.insert(JobID(nextID)) } else { submitted.append(arguments) }
            return nextID
        }
        let value = { (name: String) in arguments.first { $0.hasPrefix("--\(name)=") }.map { String($0.dropFirst(name.count + 3)) } }
        if runsCommands || check, let script = value("wrap") {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/bin/sh")
            process.arguments = ["-c", script]
            if let output = value("output"), output != "/dev/null", FileManager.default.createFile(atPath: output, contents: nil) {
                process.standardOutput = FileHandle(forWritingAtPath: output)
            }
            try? process.run()
            process.waitUntilExit()
        }
        return CommandOutput(status: 0, stdout: "\(id)\n", stderr: "")
    }

    private func list(_ arguments: [String]) -> CommandOutput {
        let ids = arguments.first { $0.hasPrefix("--jobs=") }.map { $0.dropFirst(7).split(separator: ",").compactMap { JobID(parsing: $0) } } ?? []
        let lines = lock.withLock { () -> [String] in
            squeueCalls.append(ids)
            return ids.map { id in
                defer { polls[id, default: 0] += 1 }
                if checks.contains(id) { return "\(id)|COMPLETED|None|vm|UNLIMITED|0|" }
                if cancelledJobs.contains(id) { return "\(id)|CANCELLED|None|vm|UNLIMITED|15|" }
                switch state(id, polls[id, default: 0]) {
                case .running: return "\(id)|RUNNING|None|vm|UNLIMITED|0|"
                case .completed: return "\(id)|COMPLETED|None|vm|UNLIMITED|0|"
                case let .pending(reason): return "\(id)|PENDING|\(reason)||UNLIMITED|0|"
                }
            }
        }
        return CommandOutput(status: 0, stdout: lines.joined(separator: "\n") + "\n", stderr: "")
    }
}
