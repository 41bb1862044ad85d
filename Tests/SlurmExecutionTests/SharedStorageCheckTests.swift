import Foundation
import Testing
@testable import SlurmExecution

/// The check's answers when the job cannot do its part; ClusterTests runs it for real.
@Suite struct SharedStorageCheckTests {
    private func answer(_ stdout: String) -> CommandOutput { CommandOutput(status: 0, stdout: stdout, stderr: "") }

    @Test func aJobThatNeverStartsIsCancelledAndSaidSo() throws {
        let pending = Array(repeating: answer("5|PENDING|Resources||UNLIMITED|0|\n"), count: 50)
        let runner = CannedRunner(answers: [answer("5\n")] + pending)
        let check = SharedStorageCheck(client: SlurmClient(runner: runner), seconds: 0.3)
        let folder = FileManager.default.temporaryDirectory.path
        #expect(throws: StorageCheckError.cluster("the storage-checking Slurm job 5 did not end within 0.3 s (PENDING, reason Resources)")) {
            try check.check(folder)
        }
        #expect(runner.commands.last == ["scancel", "5"])
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder).allSatisfy { !$0.hasPrefix(".slurm-probe-") })
    }

    @Test func aJobThatFailedSawAnotherFolder() throws {
        let runner = CannedRunner(answers: [answer("6\n"), answer("6|FAILED|NonZeroExitCode|node7|UNLIMITED|256|\n")])
        let visibility = try SharedStorageCheck(client: SlurmClient(runner: runner)).check("/tmp")
        #expect(visibility == .notVisible(
            "a job on node node7 could not read and write '/tmp' as this machine sees it (Slurm job 6: FAILED, exit code 1)"))
    }

    @Test func aFolderThisMachineCannotWriteIsALocalError() {
        let check = SharedStorageCheck(client: SlurmClient(runner: CannedRunner()))
        #expect {
            try check.check("/nonexistent/store")
        } throws: { error in
            guard case let .local(message) = error as? StorageCheckError else { return false }
            return message.hasPrefix("cannot write '/nonexistent/store/.slurm-probe-")
        }
    }
}
