#if canImport(FoundationEssentials)
import FoundationEssentials
import WorkerProtocol
#else
import Foundation
#endif
import FlowRuntime
import Synchronization
import Glibc

/// One `flowspec worker` process running one interpreter, spoken to through its stdin and stdout.
///
/// `send` blocks its thread until the worker answers; call it from one thread at a time.
/// `terminate` may be called from any thread, for example to enforce a timeout.
public final class WorkerProcess: Sendable {
    public let pid: pid_t
    /// What the worker said when it started.
    public let hello: WorkerHello
    public let environment: PythonEnvironment

    private let responses: Int32  // our end of the worker's stdout
    /// What the worker's fds 1 and 2 take in: what its requests print, and a dead worker's last words.
    public let output = OutputCapture()
    private let state: Mutex<State>

    private struct State {
        /// Our end of the worker's stdin; nil once closed.
        var requests: Int32?
        var exit: ExitStatus?
        var closed: Bool { requests == nil }

        mutating func closeRequests() {
            if let requests { close(requests) }
            requests = nil
        }
    }

    /// The executable of this process: workers are the same binary.
    public static var currentExecutable: String {
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let count = readlink("/proc/self/exe", &buffer, buffer.count - 1)
        return count > 0 ? String(decoding: buffer[..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self) : CommandLine.arguments[0]
    }

    /// Spawns `flowspecExecutable worker` for `environment` and waits for its hello.
    public init(environment: PythonEnvironment, flowspecExecutable: String = WorkerProcess.currentExecutable,
                extraEnv: [String: String] = [:]) throws {
        Self.ignoreBrokenPipes
        let stdin = try Spawn.pipe(), stdout = try Spawn.pipe()
        let inherited = Spawn.currentEnv.merging(extraEnv) { $1 }
        var variables = inherited.merging(environment.workerVariables(adding: inherited["LD_LIBRARY_PATH"])) { $1 }
        if let own = inherited["SWIFT_BACKTRACE"] { variables["SWIFT_BACKTRACE"] = own }
        variables["FLOWSPEC_WORKER_PARENT"] = String(getpid())
        variables["FLOWSPEC_WORKER_STDOUT"] = String(Self.printedStdoutDescriptor)
        let pid: pid_t
        do {
            pid = try Spawn.start([flowspecExecutable, "worker"], env: variables,
                                  stdin: stdin.read, stdout: stdout.write, stderr: output.stderrFile,
                                  more: [Self.printedStdoutDescriptor: output.stdoutFile], ownGroup: true)
        } catch {
            [stdin.read, stdin.write, stdout.read, stdout.write].forEach { close($0) }
            throw WorkerError.spawn(error)
        }
        close(stdin.read)
        close(stdout.write)
        self.pid = pid
        self.state = Mutex(State(requests: stdin.write))
        self.responses = stdout.read
        self.environment = environment
        do {
            guard let frame = try WorkerFrames.read(from: stdout.read) else {
                throw WorkerError.died(pid: pid, status: Self.reap(pid), output: output.take(), during: "start")
            }
            hello = try WorkerHello(payload: frame)
            _ = output.take()  // what it printed while starting is no request's
        } catch {
            [stdin.write, stdout.read].forEach { close($0) }
            if case WorkerError.died = error { throw error }  // already reaped
            kill(pid, SIGKILL)
            _ = Self.reap(pid)
            throw WorkerError.protocolViolation(pid: pid, "its hello: \(error)")
        }
        guard hello.protocol == workerProtocolVersion else {
            terminate(signal: SIGKILL)
            closeInput()
            throw WorkerError.protocolViolation(pid: pid, "it speaks protocol \(hello.protocol), not \(workerProtocolVersion)")
        }
    }

    deinit {
        shutDown()
        close(responses)
    }

    /// Sends one request and waits for its response, with what the request printed (`output`
    /// passes it on as it comes when `begin` named a task). A worker that dies meanwhile is a
    /// `WorkerError.died` naming its exit status or signal, with what it printed.
    public func send(_ request: WorkerRequest) throws -> WorkerResponse {
        let payload = request.payload()
        // Refused before a byte is written: the worker, still waiting for a frame, is fine.
        guard payload.count <= WorkerFrames.maximumSize else {
            throw WorkerError.requestTooLarge(pid: pid, bytes: payload.count, during: Self.label(of: request))
        }
        return try state.withLock { state throws -> WorkerResponse in
            guard let requests = state.requests else { throw WorkerError.closed(pid: pid) }
            do {
                try WorkerFrames.write(payload, to: requests)
            } catch {
                throw died(&state, during: request)
            }
            if case .exit = request {
                state.closeRequests()
                return WorkerResponse(id: request.id, status: .ok)
            }
            let frame: [UInt8]?
            do {
                frame = try WorkerFrames.read(from: responses)
            } catch {
                throw died(&state, during: request)
            }
            guard let frame else { throw died(&state, during: request) }
            return try decode(frame, answering: request)
        }
    }

    private func decode(_ frame: [UInt8], answering request: WorkerRequest) throws -> WorkerResponse {
        var response: WorkerResponse
        do {
            response = try WorkerResponse(payload: frame)
        } catch {
            throw WorkerError.protocolViolation(pid: pid, "its response to request \(request.id): \(error)")
        }
        guard response.id == request.id else {
            throw WorkerError.protocolViolation(pid: pid, "it answered request \(response.id) instead of \(request.id)")
        }
        response.printed = output.take()
        return response
    }

    private func died(_ state: inout State, during request: WorkerRequest) -> WorkerError {
        let status = state.exit ?? Self.reap(pid)
        state.exit = status
        state.closeRequests()
        return .died(pid: pid, status: status, output: output.take(), during: Self.label(of: request))
    }

    private static func label(of request: WorkerRequest) -> String {
        if case let .task(task) = request { "task \(task.task)" } else { "request \(request.id)" }
    }

    /// Asks the worker to exit and waits for it; a worker that does not exit within `grace`
    /// seconds is killed. Processes its tasks started and left running are killed with it.
    public func shutDown(grace: Double = 2) {
        let pending = state.withLock { state -> Bool in
            guard state.exit == nil else { return false }
            if let requests = state.requests {
                let payload = WorkerRequest.exit(id: 0).payload()
                try? WorkerFrames.write(payload, to: requests)
                state.closeRequests()
            }
            return true
        }
        guard pending else { return }
        defer { kill(-pid, SIGKILL) }
        let deadline = ContinuousClock.now + .milliseconds(Int(grace * 1000))
        var status: Int32 = 0
        while ContinuousClock.now < deadline {
            if waitpid(pid, &status, WNOHANG) == pid {
                state.withLock { $0.exit = ExitStatus(waitStatus: status) }
                return
            }
            usleep(1000)
        }
        kill(pid, SIGKILL)
        let exit = Self.reap(pid)
        state.withLock { $0.exit = exit }
    }

    /// Closes the worker's stdin, as a scheduler that dies does, and waits for it to exit.
    @discardableResult
    public func closeInput() -> ExitStatus {
        state.withLock { state in
            state.closeRequests()
            if state.exit == nil { state.exit = Self.reap(pid) }
            return state.exit!
        }
    }

    /// Sends `signal` to the worker and every process its tasks started, its process group
    /// (SIGTERM by default; SIGKILL cannot be caught). A `send` waiting on it then fails with
    /// `WorkerError.died`.
    public func terminate(signal: Int32 = SIGTERM) {
        kill(-pid, signal)
    }

    /// How the worker ended, once it has been reaped.
    public var exitStatus: ExitStatus? { state.withLock { $0.exit } }

    // MARK: Helpers

    private static let ignoreBrokenPipes: Void = {
        // A worker that dies while we write must be an error, not a SIGPIPE that kills the scheduler.
        signal(SIGPIPE, SIG_IGN)
    }()

    private static func reap(_ pid: pid_t) -> ExitStatus { Spawn.wait(pid) }

    /// The worker's fd for what it prints on stdout, until it makes it its fd 1
    /// (its own fd 1 carries the protocol at first).
    private static let printedStdoutDescriptor: Int32 = 3
}

/// Why talking to a worker failed.
public enum WorkerError: Error, CustomStringConvertible, Sendable {
    /// The process could not be started.
    case spawn(SpawnError)
    /// The worker ended (or closed its pipe) before answering; `output` is what it printed meanwhile.
    case died(pid: pid_t, status: ExitStatus, output: PrintedOutput, during: String)
    /// The worker sent something the protocol does not allow.
    case protocolViolation(pid: pid_t, String)
    /// The worker was already asked to exit.
    case closed(pid: pid_t)
    /// The request is larger than the protocol's frames may be; nothing was sent.
    case requestTooLarge(pid: pid_t, bytes: Int, during: String)

    public var description: String {
        switch self {
        case let .spawn(error): return "cannot start a worker: \(error)"
        case let .died(pid, status, output, during):
            // Its last words: the end of its stderr (a crash's report, when there is one).
            let tail = String(decoding: Array(output.stderr.utf8.suffix(4096)), as: UTF8.self)
            let last = String(tail.drop { $0.isWhitespace }.reversed().drop { $0.isWhitespace }.reversed())
            return "worker \(pid) \(status) during \(during)" + (last.isEmpty ? "" : ":\n\(last)")
        case let .protocolViolation(pid, what): return "worker \(pid) broke the protocol in \(what)"
        case let .closed(pid): return "worker \(pid) was already asked to exit"
        case let .requestTooLarge(_, bytes, during):
            return "the request for \(during) is \(bytes >> 20) MiB, over the worker protocol's limit of "
                + "\(WorkerFrames.maximumSize >> 20) MiB, and was not sent (a join of very many inputs makes such a request)"
        }
    }
}
