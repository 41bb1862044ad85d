import ArgumentParser
import Dispatch
import PythonBridge
import SlurmExecution
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Glibc

/// `flowspec pilot-job`: what a Slurm pilot job of a step with `slurm.pilots` runs. It connects
/// back to the scheduler, proves it is the run's with the secret in `--secret-file`, starts the
/// interpreter FLOWSPEC_PYTHON_EXECUTABLE names once, and then runs the task requests the
/// scheduler sends, one after another, as a warm local worker does: for each it sends what the
/// task printed, then the worker protocol's response. It ends when the scheduler closes the
/// connection (the step has no task left for it, or the run ended) and, mid-task, as soon as the
/// connection drops: no pilot outlives the scheduler it served.
struct PilotJobCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pilot-job",
        abstract: "Run a step's tasks for a scheduler that sends them over TCP: what a Slurm pilot job of flowspec runs.",
        discussion: "Submitted by `flowspec run` for steps with `slurm.pilots`, not run by hand.",
        shouldDisplay: false)

    @Option(help: ArgumentHelp("The scheduler's address.", valueName: "host:port"))
    var connect: String

    @Option(help: "The file holding the run's pilot secret.")
    var secretFile: String

    @Option(help: "The step whose tasks this pilot runs.")
    var step: String

    func run() throws {
        let connection = try connectBack()
        PythonBridge.lineBufferStandardOutput()
        let (interpreter, runtime) = try WorkerCommand.startPython(as: "flowspec pilot-job")
        DispatchQueue.global().async {
            connection.waitForHangUp()
            _exit(0)
        }
        let capture = try PrintedCapture()
        while let frame = try connection.receive() {
            let printed = try capture.around {
                do {
                    return try interpreter.withGIL { try runtime.handle(String(decoding: frame, as: UTF8.self), $0) }
                } catch {
                    return WorkerCommand.failure(answering: frame, error)
                }
            }
            try connection.send(PilotPrinted(stdout: printed.stdout, stderr: printed.stderr).payload())
            try connection.send(Array(printed.result.utf8))
        }
        // Exit without finalizing Python, as a worker does: user objects may still hold threads.
        Glibc.exit(0)
    }

    private func connectBack() throws -> PilotSocket {
        guard let colon = connect.lastIndex(of: ":"), let port = UInt16(connect[connect.index(after: colon)...]) else {
            throw ValidationError("--connect wants host:port, not '\(connect)'")
        }
        guard let secret = FileManager.default.contents(atPath: secretFile) else {
            Terminal.writeError("flowspec pilot-job: cannot read the run's secret '\(secretFile)'\n")
            throw CommandFailure(status: 1)
        }
        do {
            let connection = try PilotSocket.connect(host: String(connect[..<colon]), port: port)
            let env = ProcessInfo.processInfo.environment
            let hello = PilotHello(secret: String(decoding: secret, as: UTF8.self), job: env["SLURM_JOB_ID"] ?? "",
                                   node: env["SLURMD_NODENAME"] ?? ProcessInfo.processInfo.hostName, step: step)
            try connection.send(hello.payload())
            return connection
        } catch {
            Terminal.writeError("flowspec pilot-job: cannot reach the scheduler at \(connect): \(error)\n")
            throw CommandFailure(status: 1)
        }
    }
}

/// What one request prints on fds 1 and 2, taken by pointing them at files of its own for the
/// request's length; copied to the job's own output after, so the job's log has it too.
private struct PrintedCapture {
    private let files: (out: Int32, err: Int32)

    init() throws {
        files = (try Self.anonymousFile(), try Self.anonymousFile())
    }

    func around(_ body: () -> String) throws -> (result: String, stdout: String, stderr: String) {
        let saved = (dup(STDOUT_FILENO), dup(STDERR_FILENO))
        dup2(files.out, STDOUT_FILENO)
        dup2(files.err, STDERR_FILENO)
        let result = body()
        fflush(nil)
        dup2(saved.0, STDOUT_FILENO)
        dup2(saved.1, STDERR_FILENO)
        close(saved.0)
        close(saved.1)
        return (result, Self.take(files.out, echoTo: STDOUT_FILENO), Self.take(files.err, echoTo: STDERR_FILENO))
    }

    /// The file's bytes, written on to `echo`; the file is emptied for the next request.
    private static func take(_ fd: Int32, echoTo echo: Int32) -> String {
        let size = Int(lseek(fd, 0, SEEK_END))
        var bytes = [UInt8](repeating: 0, count: max(0, size))
        let count = size > 0 ? pread(fd, &bytes, size, 0) : 0
        ftruncate(fd, 0)
        lseek(fd, 0, SEEK_SET)
        guard count > 0 else { return "" }
        _ = bytes.withUnsafeBytes { Glibc.write(echo, $0.baseAddress!, count) }
        return String(decoding: bytes[..<count], as: UTF8.self)
    }

    private static func anonymousFile() throws -> Int32 {
        var template = Array("\(ProcessInfo.processInfo.environment["TMPDIR"] ?? "/tmp")/flowspec-pilot-XXXXXX".utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard fd >= 0 else {
            Terminal.writeError("flowspec pilot-job: cannot make a file for what tasks print: \(String(cString: strerror(errno)))\n")
            throw CommandFailure(status: 1)
        }
        _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
        template.withUnsafeBufferPointer { _ = unlink($0.baseAddress!) }
        return fd
    }
}
