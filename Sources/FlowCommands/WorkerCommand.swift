import ArgumentParser
import FlowRuntime
import LocalExecution
import PythonBridge
import WorkerProtocol
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Glibc

/// `flowspec worker`: the process a scheduler starts to run Python steps (specs/worker-protocol.md).
struct WorkerCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "worker",
        abstract: "Run Python step functions for a scheduler, over framed JSON on stdin and stdout.",
        discussion: """
            Started by `flowspec run`, not by hand. The interpreter is FLOWSPEC_PYTHON_EXECUTABLE \
            (else the one libpython finds for itself); requests and responses follow the worker \
            protocol, version 1.
            """,
        shouldDisplay: false)

    func run() throws {
        let pipes = WorkerPipes.takeOver()
        watchParent()
        let (interpreter, runtime) = try Self.startPython(as: "flowspec worker")
        let hello = WorkerHello(pid: getpid(), python: interpreter.version, executable: interpreter.executable)
        try WorkerFrames.write(hello.payload(), to: pipes.output)
        while let frame = try WorkerFrames.read(from: pipes.input) {
            let request = String(decoding: frame, as: UTF8.self)
            let response: String
            do {
                response = try interpreter.withGIL { try runtime.handle(request, $0) }
            } catch {
                response = Self.failure(answering: frame, error)
            }
            if response.isEmpty { break }  // `exit`
            fflush(nil)  // what C code printed is the request's: in the capture before the answer
            try WorkerFrames.write(Array(response.utf8), to: pipes.output)
        }
        // Exit without finalizing Python: objects of user code may still hold threads and files.
        Glibc.exit(0)
    }

    /// The interpreter FLOWSPEC_PYTHON_EXECUTABLE names and the helpers that answer requests
    /// in it; a failure to start them ends the command, `command` saying so.
    static func startPython(as command: String) throws -> (PythonInterpreter, HelperRuntime) {
        let env = ProcessInfo.processInfo.environment
        do {
            let interpreter = try PythonInterpreter.start(executable: env["FLOWSPEC_PYTHON_EXECUTABLE"],
                                                          expectedVersion: env["FLOWSPEC_PYTHON_VERSION"])
            let runtime = try interpreter.withGIL { try HelperRuntime(bytecodeCache: Self.bytecodeCache(env), $0) }
            return (interpreter, runtime)
        } catch {
            Terminal.writeError("\(command): \(error)\n")
            throw CommandFailure(status: 1)
        }
    }

    private static func bytecodeCache(_ env: [String: String]) -> String? {
        CacheFolder.path(env).map { $0 + "/bytecode" }
    }

    /// A failed response for a request the helpers could not answer at all (a bug, or an interrupt).
    static func failure(answering frame: [UInt8], _ error: any Error) -> String {
        let python = error as? PythonError
        let failure = WorkerFailure(kind: .exception, type: python?.type ?? "flowspec.WorkerError",
                                    message: "flowspec worker: \(python?.message ?? "\(error)")",
                                    traceback: python?.traceback ?? "")
        return String(decoding: WorkerResponse.failedPayload(id: WorkerRequest.id(of: frame) ?? -1, failure), as: UTF8.self)
    }

    /// Dies with the scheduler, at once if it is already gone, else within a tenth of a second
    /// of it going, even while Python is busy in a task; so does what its tasks started, when
    /// the worker leads a process group of its own (as the scheduler starts it). (The kernel's
    /// parent-death signal is no use here: it fires when the scheduler *thread* that spawned the
    /// worker exits, and the scheduler spawns from pooled threads that come and go.)
    private func watchParent() {
        let expected = ProcessInfo.processInfo.environment["FLOWSPEC_WORKER_PARENT"].flatMap(Int32.init) ?? getppid()
        guard getppid() == expected else { Glibc.exit(1) }
        var thread = pthread_t()
        pthread_create(&thread, nil, { _ in
            let parent = getppid()
            while getppid() == parent { usleep(100_000) }
            if getpgrp() == getpid() { kill(0, SIGKILL) }
            _exit(1)
        }, nil)
        pthread_detach(thread)
    }
}

/// The protocol's descriptors, moved away from 0 and 1 so that user code (and C extensions or
/// subprocesses writing to fd 1) cannot read or corrupt frames: fd 0 becomes /dev/null, fd 1 the
/// scheduler's capture file for stdout (the descriptor FLOWSPEC_WORKER_STDOUT names; else a
/// copy of fd 2). C's stdout is line-buffered, so what C code prints reaches the file line by
/// line, and is there even if the process crashes.
private struct WorkerPipes {
    let input: Int32
    let output: Int32

    static func takeOver() -> WorkerPipes {
        let input = fcntl(STDIN_FILENO, F_DUPFD_CLOEXEC, 3)
        let output = fcntl(STDOUT_FILENO, F_DUPFD_CLOEXEC, 3)
        let null = open("/dev/null", O_RDONLY)
        dup2(null, STDIN_FILENO)
        close(null)
        let printed = ProcessInfo.processInfo.environment["FLOWSPEC_WORKER_STDOUT"].flatMap(Int32.init)
        if let printed, printed > STDERR_FILENO, fcntl(printed, F_GETFD) >= 0, printed != input, printed != output {
            dup2(printed, STDOUT_FILENO)
            close(printed)
        } else {
            dup2(STDERR_FILENO, STDOUT_FILENO)
        }
        PythonBridge.lineBufferStandardOutput()
        return WorkerPipes(input: input, output: output)
    }
}
