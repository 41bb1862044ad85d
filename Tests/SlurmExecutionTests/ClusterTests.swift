import Foundation
import Testing
@testable import SlurmExecution

/// The client against the real single-node cluster that scripts/test.sh starts with
/// scripts/slurm/start.sh, which sets SLURM_CONF and FLOWSPEC_SLURM_DIR. Serialized: one test
/// takes the node down, and the node has two cpus.
@Suite(.serialized, .enabled(if: Cluster.isRunning, Cluster.absence))
final class ClusterTests {
    private let lock: ClusterLock
    private let client = SlurmClient(env: ProcessInfo.processInfo.environment)
    /// Each test's own folder, which its jobs write into: /tmp is the same folder for them.
    private let folder: URL

    init() async throws {
        lock = await ClusterLock.acquire()
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("flowspec-slurm-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(at: folder) }

    private func job(_ name: String, _ script: String, _ resources: JobResources = JobResources(),
                     extra: [String] = []) -> JobRequest {
        JobRequest(command: ["/bin/sh", "-c", script], name: name, resources: resources,
                   options: SlurmOptions(extra: extra), output: folder.appendingPathComponent("\(name).out").path,
                   error: folder.appendingPathComponent("\(name).err").path, workingDirectory: folder.path)
    }

    private func output(_ name: String, _ stream: String = "out") -> String {
        (try? String(contentsOf: folder.appendingPathComponent("\(name).\(stream)"), encoding: .utf8)) ?? ""
    }

    /// The job's outcome once settled, its stderr read as the executor will read it.
    private func outcome(_ id: JobID, _ name: String, in statuses: [JobID: JobStatus]) throws -> JobOutcome {
        JobOutcome(try #require(statuses[id], "job \(name) (\(id)) is not listed"), errorOutput: output(name, "err"))
    }

    private func failureKind(_ outcome: JobOutcome) -> JobFailure.Kind? {
        if case let .failed(failure) = outcome { failure.kind } else { nil }
    }

    @Test func theJobGetsTheCpusAndMemoryItAskedFor() throws {
        let request = job("resources", #"echo "$SLURM_CPUS_PER_TASK $SLURM_MEM_PER_NODE""#,
                          JobResources(cpu: 2, memory: 300 << 20, timeout: 90))
        let id = try client.submit(request)
        let statuses = try client.waitUntilSettled([id], atMost: 60)
        #expect(try outcome(id, "resources", in: statuses) == .succeeded)
        #expect(output("resources") == "2 300\n")
        #expect(statuses[id]?.timeLimit == .seconds(120))
        #expect(statuses[id]?.nodes == Cluster.node)
    }

    /// Past its time limit, cancelled, over its memory, failed, and waiting on a failed job:
    /// submitted together and read back in one squeue call each poll.
    @Test func eachFaultIsItsKindOfFailure() throws {
        let timeout = try client.submit(job("timeout", "sleep 300", JobResources(timeout: 1)))
        let cancelled = try client.submit(job("cancelled", "sleep 300"))
        _ = try waitUntil(cancelled, is: .running)
        try client.cancel([cancelled])
        let memory = try client.submit(job("memory", "exec python3 -c 'x = bytearray(400 << 20); import time; time.sleep(60)'",
                                           JobResources(memory: 50 << 20)))
        let failed = try client.submit(job("failed", "exit 3"))
        let never = try client.submit(job("never", "true", extra: ["--dependency=afterok:\(failed)"]))
        let jobs = [timeout, cancelled, memory, failed, never]
        let statuses = try client.waitUntilSettled(jobs, atMost: 240)
        #expect(Set(statuses.keys) == Set(jobs))
        let expected: [(JobID, String, JobFailure.Kind)] = [
            (timeout, "timeout", .timedOut), (cancelled, "cancelled", .cancelled), (memory, "memory", .outOfMemory),
            (failed, "failed", .exited), (never, "never", .neverRunnable),
        ]
        for (id, name, kind) in expected {
            #expect(failureKind(try outcome(id, name, in: statuses)) == kind, "\(name): \(String(describing: statuses[id]))")
        }
        #expect(statuses[timeout]?.state == .timeout)
        #expect(statuses[cancelled]?.state == .cancelled)
        #expect(statuses[never]?.reason == "DependencyNeverSatisfied")
        try client.cancel([never])
    }

    @Test func anOverAskingJobIsRefusedBySbatch() throws {
        let asks = [JobResources(cpu: 64), JobResources(memory: 1 << 50), JobResources(gpu: 1)]
        for resources in asks {
            #expect {
                try client.submit(job("greedy", "true", resources))
            } throws: { error in
                guard case let .refused(failure) = error as? SubmitError else { return false }
                return failure.kind == .refused && failure.job == nil && !failure.detail.isEmpty
            }
        }
    }

    /// slurmd killed under a running job: the controller marks the node down after
    /// SlurmdTimeout and the job NODE_FAIL; the node comes back for the tests after this one.
    @Test func aJobLostWithItsNodeIsANodeFailure() throws {
        let id = try client.submit(job("lost", "sleep 300"))
        _ = try waitUntil(id, is: .running)
        try Cluster.node("kill")
        defer { try? Cluster.node("start") }
        let statuses = try client.waitUntilSettled([id], atMost: 120)
        #expect(statuses[id]?.state == .nodeFail)
        #expect(failureKind(try outcome(id, "lost", in: statuses)) == .nodeFailed)
    }

    @Test func aFolderOfThisMachineIsVisibleToAJob() throws {
        let check = SharedStorageCheck(client: client, seconds: 60)
        guard case let .visible(node) = try check.check(folder.path) else {
            Issue.record("the test's folder is not visible to a job on the same machine")
            return
        }
        #expect(!node.isEmpty)
        // The probe files are gone afterwards.
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).isEmpty)
    }

    /// The programs a job runs (flowspec, the step's interpreter) are checked on the node too.
    @Test func aProgramTheJobCannotRunFailsTheCheck() throws {
        let missing = folder.appendingPathComponent("venv/bin/python3").path
        let visibility = try SharedStorageCheck(client: client, seconds: 60).check(folder.path, programs: ["/bin/sh", missing])
        guard case let .notVisible(why) = visibility else {
            Issue.record("a job could run a program that is not there: \(visibility)")
            return
        }
        #expect(why.hasSuffix("cannot run '\(missing)': it is not there, or not executable, as the node sees it"), "\(why)")
        #expect(!why.contains("'/bin/sh'"))
    }

    /// A folder the job can read but not write fails the check: the job writes blobs too. The
    /// folder is root's and read-only to others, and the job runs as nobody (`--uid`, which
    /// only root may give: the project's machines and CI run as root).
    @Test func aFolderTheJobCannotWriteIsNotVisible() throws {
        try #require(getuid() == 0, "this test submits a job as another user, which takes root")
        let readOnly = folder.appendingPathComponent("read-only")
        try FileManager.default.createDirectory(at: readOnly, withIntermediateDirectories: true)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: readOnly.path)
        let options = SlurmOptions(extra: ["--uid=nobody"])
        let visibility = try SharedStorageCheck(client: client, options: options, seconds: 60).check(readOnly.path)
        guard case let .notVisible(why) = visibility else {
            Issue.record("a job wrote into a folder it may not write: \(visibility)")
            return
        }
        #expect(why.contains("could not read and write '\(readOnly.path)'"))
        // The shell's exit code when it cannot open a file to write.
        #expect(why.contains("FAILED, exit code 2)"))
    }

    private func waitUntil(_ id: JobID, is state: JobState) throws -> JobStatus {
        while true {
            if let status = try client.statuses(of: [id])[id], status.state == state || status.hasSettled {
                return status
            }
            usleep(50_000)
        }
    }
}

/// The cluster scripts/slurm/start.sh started, as its environment names it.
enum Cluster {
    static let env = ProcessInfo.processInfo.environment
    static var isRunning: Bool { env["SLURM_CONF"] != nil }
    /// This machine's short host name: the name of the cluster's one node.
    static var node: String {
        var name = [CChar](repeating: 0, count: 256)
        gethostname(&name, name.count)
        let bytes = name.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }
        return String(String(decoding: bytes, as: UTF8.self).prefix { $0 != "." })
    }
    static let absence: Comment =
        "SLURM_CONF is not set: no Slurm cluster to test against; scripts/test.sh starts one, or run eval \"$(scripts/slurm/start.sh)\""

    /// Runs scripts/slurm/node.sh `action` on the cluster.
    static func node(_ action: String) throws {
        let folder = try #require(env["FLOWSPEC_SLURM_DIR"], "FLOWSPEC_SLURM_DIR is not set")
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("scripts/slurm/node.sh")
        let process = try Process.run(script, arguments: [action, folder])
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "node.sh \(action) failed")
    }
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
