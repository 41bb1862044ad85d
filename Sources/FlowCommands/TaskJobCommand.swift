import ArgumentParser
import PythonBridge
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Glibc

/// `flowspec task-job FILE`: what a Slurm job of a step with `executor: slurm` runs. It is a
/// worker for one request: it reads the task request the scheduler wrote to FILE
/// (`jobs/RUN/TASK.request` in the store), runs it in the interpreter FLOWSPEC_PYTHON_EXECUTABLE
/// names, reading inputs from the store's blobs and writing outputs there, and writes the
/// response beside FILE (`TASK.result`: written to a temporary name, synced, then renamed, so
/// the scheduler never reads half of one). What the task prints goes to the job's own stdout and
/// stderr, which Slurm writes to the files the scheduler named.
struct TaskJobCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "task-job",
        abstract: "Run one task from a request file: what a Slurm job of flowspec runs.",
        discussion: "Submitted by `flowspec run` for steps with `executor: slurm`, not run by hand.",
        shouldDisplay: false)

    @Argument(help: "The task request file, TASK.request; the response goes to TASK.result beside it.")
    var request: String

    func run() throws {
        guard let data = FileManager.default.contents(atPath: request) else {
            Terminal.writeError("flowspec task-job: cannot read the task request '\(request)'\n")
            throw CommandFailure(status: 1)
        }
        let frame = Array(data)
        PythonBridge.lineBufferStandardOutput()
        let (interpreter, runtime) = try WorkerCommand.startPython(as: "flowspec task-job")
        let response: String
        do {
            response = try interpreter.withGIL { try runtime.handle(String(decoding: frame, as: UTF8.self), $0) }
        } catch {
            response = WorkerCommand.failure(answering: frame, error)
        }
        fflush(nil)
        do { try Self.write(Array(response.utf8), to: Self.resultPath(of: request)) } catch {
            Terminal.writeError("flowspec task-job: \(error)\n")
            Glibc.exit(1)
        }
        // Exit without finalizing Python, as a worker does: user objects may still hold threads.
        Glibc.exit(0)
    }

    /// `TASK.result` for `TASK.request`.
    static func resultPath(of request: String) -> String {
        (request.hasSuffix(".request") ? String(request.dropLast(".request".count)) : request) + ".result"
    }

    /// Writes `bytes` to a temporary file beside `path`, syncs it, and renames it to `path`.
    private static func write(_ bytes: [UInt8], to path: String) throws {
        let temporary = "\(path).\(getpid()).tmp"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw TaskJobError("cannot create '\(temporary)': \(String(cString: strerror(errno)))") }
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress! + offset, bytes.count - offset) }
            if written < 0 && errno == EINTR { continue }
            guard written > 0 else {
                close(fd)
                throw TaskJobError("cannot write '\(temporary)': \(String(cString: strerror(errno)))")
            }
            offset += written
        }
        let synced = fsync(fd) == 0
        close(fd)
        guard synced, rename(temporary, path) == 0 else {
            throw TaskJobError("cannot write '\(path)': \(String(cString: strerror(errno)))")
        }
    }
}

private struct TaskJobError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
