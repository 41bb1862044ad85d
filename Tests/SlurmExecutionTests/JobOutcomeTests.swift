import Testing
@testable import SlurmExecution

/// Each way a real job ended becomes the failure reason an attempt records.
@Suite struct JobOutcomeTests {
    private func failure(_ label: String, in file: String = "squeue-all.txt", errorOutput: String? = nil) throws
        -> JobFailure
    {
        let outcome = JobOutcome(try Fixtures.status(label, in: file), errorOutput: errorOutput)
        guard case let .failed(failure) = outcome else {
            Issue.record("\(label): \(outcome), not a failure")
            throw CancellationError()
        }
        return failure
    }

    @Test func aCompletedJobSucceeded() throws {
        #expect(JobOutcome(try Fixtures.status("completed")) == .succeeded)
    }

    @Test func waitingAndRunningJobsAreStillUnderWay() throws {
        #expect(JobOutcome(try Fixtures.status("resources", in: "squeue-live.txt")) == .queued)
        #expect(JobOutcome(try Fixtures.status("held", in: "squeue-live.txt")) == .queued)
        #expect(JobOutcome(try Fixtures.status("running", in: "squeue-live.txt")) == .running)
    }

    @Test func eachEndHasItsKind() throws {
        let expected: [(String, JobFailure.Kind)] = [
            ("exit3", .exited), ("signal", .signaled), ("cancelled", .cancelled), ("timeout", .timedOut),
            ("nodefail", .nodeFailed), ("partitionconfig", .neverRunnable), ("partitiontime", .neverRunnable),
        ]
        for (label, kind) in expected {
            #expect(try failure(label).kind == kind, "\(label)")
        }
        #expect(try failure("never", in: "squeue-live.txt").kind == .neverRunnable)
    }

    @Test func theFailureNamesTheJobItsStateAndReason() throws {
        let id = try Fixtures.id("timeout")
        #expect(try failure("timeout").description
            == "Slurm job \(id) ran past its time limit of 1 min (state TIMEOUT, reason TimeLimit)")
        #expect(try failure("nodefail").description
            == "Slurm job \(try Fixtures.id("nodefail")) was lost with its node vm (state NODE_FAIL, reason NodeDown)")
        #expect(try failure("exit3").description
            == "Slurm job \(try Fixtures.id("exit3")) failed: its command exited with code 3 (state FAILED, reason NonZeroExitCode)")
        #expect(try failure("partitiontime").description
            == "Slurm job \(try Fixtures.id("partitiontime")) can never start: Slurm holds it for PartitionTimeLimit (state PENDING, reason PartitionTimeLimit)")
    }

    /// Without memory cgroups Slurm says FAILED, signal 9; only the job's stderr tells why.
    @Test func aJobKilledForMemoryIsOutOfMemory() throws {
        #expect(try failure("memory").kind == .signaled)
        let killed = try failure("memory", errorOutput: Fixtures.text("memory-kill.err"))
        #expect(killed.kind == .outOfMemory)
        #expect(killed.description.contains("was killed for using more memory than it asked for (state FAILED"))
        // The same words printed by the user's own program, not the step daemon, prove nothing.
        #expect(try failure("memory", errorOutput: "Exceeded job memory limit\n").kind == .signaled)
    }

    @Test func withMemoryCgroupsSlurmSaysOutOfMemoryItself() throws {
        let status = try #require(try QueueListing.parse(Fixtures.text("squeue-oom-cgroup.txt")).first)
        guard case let .failed(failure) = JobOutcome(status) else { Issue.record("not a failure"); return }
        #expect(failure.kind == .outOfMemory)
        #expect(JobLog.reportsMemoryKill(try Fixtures.text("memory-oom-cgroup.err")))
    }

    @Test func onlyReasonsThatNeverPassAreNeverRunnable() {
        for reason in ["DependencyNeverSatisfied", "PartitionConfig", "PartitionTimeLimit", "BadConstraints",
                       "InvalidAccount", "QOSMaxCpuPerJobLimit", "AssocMaxWallDurationPerJobLimit", "QOSMinGRES"] {
            #expect(PendingReason.isPermanent(reason), "\(reason)")
        }
        for reason in ["Resources", "Priority", "JobHeldUser", "JobHeldAdmin", "Dependency", "BeginTime",
                       "ReqNodeNotAvail,_UnavailableNodes:vm", "NodeDown", "PartitionDown", "QOSMaxJobsPerUserLimit",
                       "AssocGrpCpuLimit", "None"] {
            #expect(!PendingReason.isPermanent(reason), "\(reason)")
        }
    }
}
