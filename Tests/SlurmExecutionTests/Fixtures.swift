import Foundation
import Testing
@testable import SlurmExecution

/// Tests/Fixtures/slurm: what a real cluster printed (its README says how each was made).
enum Fixtures {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/slurm")

    static func text(_ name: String) throws -> String {
        try String(contentsOf: folder.appendingPathComponent(name), encoding: .utf8)
    }

    /// The id of the job captured under `label` in jobs.txt.
    static func id(_ label: String) throws -> JobID {
        let line = try text("jobs.txt").split(separator: "\n").first { $0.hasPrefix("\(label)=") }
        return try #require(line.flatMap { JobID(parsing: $0.dropFirst(label.count + 1)) })
    }

    /// The status of the job captured under `label`, from one of the squeue captures.
    static func status(_ label: String, in file: String = "squeue-all.txt") throws -> JobStatus {
        let id = try id(label)
        return try #require(try QueueListing.parse(text(file)).first { $0.id == id })
    }
}

/// A runner that answers each command with the next canned output and remembers what it ran.
final class CannedRunner: CommandRunner, @unchecked Sendable {
    private let lock = NSLock()
    private var answers: [CommandOutput]
    private(set) var commands: [[String]] = []

    init(_ answers: CommandOutput...) { self.answers = answers }
    init(answers: [CommandOutput]) { self.answers = answers }

    func run(_ arguments: [String]) throws(SlurmError) -> CommandOutput {
        lock.withLock {
            commands.append(arguments)
            return answers.isEmpty ? CommandOutput(status: 0, stdout: "", stderr: "") : answers.removeFirst()
        }
    }
}
