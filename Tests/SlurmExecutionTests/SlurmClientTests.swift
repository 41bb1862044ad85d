import Testing
@testable import SlurmExecution

/// The client's commands and how it reads their answers, with a runner that answers what a
/// real cluster answered.
@Suite struct SlurmClientTests {
    private static let job = JobRequest(command: ["true"], name: "t")

    private func refusal(_ fixture: String) throws -> SubmitError? {
        let runner = CannedRunner(CommandOutput(status: 256, stdout: "", stderr: try Fixtures.text("sbatch/\(fixture).err")))
        do { _ = try SlurmClient(runner: runner).submit(Self.job) } catch { return error }
        return nil
    }

    @Test func submitReadsTheJobID() throws {
        for (printed, id) in [("24\n", 24), ("7;cluster\n", 7)] {
            let runner = CannedRunner(CommandOutput(status: 0, stdout: printed, stderr: ""))
            #expect(try SlurmClient(runner: runner).submit(Self.job) == JobID(UInt32(id)))
            #expect(runner.commands == [Self.job.sbatchArguments])
        }
    }

    @Test func aRefusalIsAFailedAttemptInSbatchsWords() throws {
        let expected = [
            "cpus": "Batch job submission failed: More processors requested than permitted",
            "memory": "Memory specification can not be satisfied; Batch job submission failed: Requested node configuration is not available",
            "gpu": "Invalid generic resource (gres) specification",
            "partition": "invalid partition specified: nope; Batch job submission failed: Invalid partition name specified",
            "constraint": "Batch job submission failed: Invalid feature specification",
        ]
        for (fixture, message) in expected {
            let failure = JobFailure(kind: .refused, job: nil, state: nil, reason: "", detail: message)
            #expect(try refusal(fixture) == .refused(failure), "\(fixture)")
        }
        #expect(try refusal("gpu")?.description == "sbatch refused the job: Invalid generic resource (gres) specification")
    }

    @Test func anUnreachableControllerIsNoRefusal() throws {
        guard case .slurm(.failed(command: "sbatch", status: 256, let message)) = try refusal("unreachable") else {
            Issue.record("not a Slurm error")
            return
        }
        #expect(message == "Batch job submission failed: Unable to contact slurm controller (connect failure)")
    }

    @Test func statusesAreOneCallForAllJobs() throws {
        let runner = CannedRunner(CommandOutput(status: 0, stdout: try Fixtures.text("squeue-all.txt"), stderr: ""))
        let asked = [try Fixtures.id("timeout"), try Fixtures.id("nodefail"), JobID(999)]
        let statuses = try SlurmClient(runner: runner).statuses(of: asked)
        #expect(runner.commands == [QueueListing.arguments(for: asked)])
        // Only the jobs asked for; one the controller did not list is absent.
        #expect(Set(statuses.keys) == Set(asked.prefix(2)))
        #expect(statuses[asked[0]]?.state == .timeout)
    }

    @Test func noKnownJobIsAnEmptyAnswerAndOtherErrorsThrow() throws {
        let unknown = CannedRunner(CommandOutput(status: 256, stdout: "", stderr: try Fixtures.text("squeue-unknown.err")))
        #expect(try SlurmClient(runner: unknown).statuses(of: [JobID(999_999)]).isEmpty)
        let down = CannedRunner(CommandOutput(status: 256, stdout: "", stderr: "slurm_load_jobs error: Unable to contact slurm controller (connect failure)\n"))
        #expect(throws: SlurmError.failed(command: "squeue", status: 256, message: "Unable to contact slurm controller (connect failure)")) {
            try SlurmClient(runner: down).statuses(of: [JobID(1)])
        }
    }

    @Test func noJobsNoCommand() throws {
        let runner = CannedRunner()
        #expect(try SlurmClient(runner: runner).statuses(of: []).isEmpty)
        try SlurmClient(runner: runner).cancel([])
        #expect(runner.commands.isEmpty)
    }

    @Test func cancelIsOneCall() throws {
        let runner = CannedRunner()
        try SlurmClient(runner: runner).cancel([JobID(4), JobID(9)])
        #expect(runner.commands == [["scancel", "4", "9"]])
    }

    @Test func aMissingProgramSaysWhatToInstall() {
        let client = SlurmClient(env: ["PATH": "/nonexistent"])
        #expect(throws: SubmitError.slurm(.cannotStart(program: "sbatch", reason: "No such file or directory"))) {
            try client.submit(Self.job)
        }
    }
}
