import FlowRuntime
import Synchronization
import WorkerProtocol
import Glibc

/// Which of a task's two output streams.
public enum PrintedStream: Sendable {
    case stdout, stderr
}

/// Told about complete lines a task printed, as it prints them.
public typealias PrintedLines = @Sendable (TaskKey, PrintedStream, String) -> Void

/// A worker's fds 1 and 2: two unlinked files opened for appending, which the worker (and
/// anything it starts: a C library, a subprocess) writes and this process reads. Files, not
/// pipes: nothing must drain them for the worker to go on, and what was written before the
/// worker died is still here to read.
///
/// While a task runs, `stream()` passes on the complete lines it printed since the last call;
/// `take()` returns all it printed and passes on the rest, then empties both files.
public final class OutputCapture: Sendable {
    /// The worker's fd 1 and fd 2.
    let stdoutFile: Int32
    let stderrFile: Int32
    private let state = Mutex(State())

    private struct State {
        var task: TaskKey?
        var sink: PrintedLines?
        /// How much of each file has been passed on.
        var streamed: (stdout: Int, stderr: Int) = (0, 0)
    }

    /// A line longer than this is passed on in pieces while it is being printed.
    private static let longestHeldLine = 1 << 16

    init() {
        stdoutFile = Self.scratchFile("out")
        stderrFile = Self.scratchFile("err")
    }

    deinit {
        close(stdoutFile)
        close(stderrFile)
    }

    /// What follows is `task`'s, and its lines go to `sink`.
    public func begin(_ task: TaskKey, sink: PrintedLines?) {
        state.withLock { $0 = State(task: task, sink: sink) }
    }

    /// Passes on the complete lines printed since the last call; nothing outside a task.
    public func stream() {
        state.withLock { state in
            guard let task = state.task, let sink = state.sink else { return }
            state.streamed.stdout += Self.passLines(from: stdoutFile, after: state.streamed.stdout) { sink(task, .stdout, $0) }
            state.streamed.stderr += Self.passLines(from: stderrFile, after: state.streamed.stderr) { sink(task, .stderr, $0) }
        }
    }

    /// Everything printed since the last `take`; what was not passed on yet goes to the sink
    /// first. Both files are emptied for the next request.
    public func take() -> PrintedOutput {
        state.withLock { state in
            let stdout = Self.contents(of: stdoutFile), stderr = Self.contents(of: stderrFile)
            if let task = state.task, let sink = state.sink {
                if stdout.count > state.streamed.stdout { sink(task, .stdout, Self.text(stdout[state.streamed.stdout...])) }
                if stderr.count > state.streamed.stderr { sink(task, .stderr, Self.text(stderr[state.streamed.stderr...])) }
            }
            if !stdout.isEmpty { ftruncate(stdoutFile, 0) }
            if !stderr.isEmpty { ftruncate(stderrFile, 0) }
            state = State()
            return PrintedOutput(stdout: Self.text(stdout[...]), stderr: Self.text(stderr[...]))
        }
    }

    // MARK: Files

    /// Passes on the complete lines of `file` after `offset` (or a long piece without a line
    /// end); returns how many bytes it passed on.
    private static func passLines(from file: Int32, after offset: Int, to sink: (String) -> Void) -> Int {
        let size = Int(lseek(file, 0, SEEK_END))
        guard size > offset else { return 0 }
        let bytes = read(file, from: offset, count: size - offset)
        let end = bytes.count >= longestHeldLine ? bytes.count : (bytes.lastIndex(of: UInt8(ascii: "\n")).map { $0 + 1 } ?? 0)
        guard end > 0 else { return 0 }
        sink(text(bytes[..<end]))
        return end
    }

    private static func contents(of file: Int32) -> [UInt8] {
        read(file, from: 0, count: Int(lseek(file, 0, SEEK_END)))
    }

    /// Bytes as text; what is not UTF-8 becomes U+FFFD.
    private static func text(_ bytes: ArraySlice<UInt8>) -> String { String(decoding: bytes, as: UTF8.self) }

    private static func read(_ file: Int32, from offset: Int, count: Int) -> [UInt8] {
        guard count > 0 else { return [] }
        var buffer = [UInt8](repeating: 0, count: count)
        var got = 0
        while got < count {
            let n = buffer.withUnsafeMutableBytes { pread(file, $0.baseAddress! + got, count - got, off_t(offset + got)) }
            if n < 0, errno == EINTR { continue }
            guard n > 0 else { break }
            got += n
        }
        return Array(buffer.prefix(got))
    }

    private static let scratchCounter = Atomic<Int>(0)

    /// A file in TMPDIR, unlinked at once, opened for appending (so that after `ftruncate` the
    /// worker writes from its start again).
    private static func scratchFile(_ kind: String) -> Int32 {
        let folder = getenv("TMPDIR").map { String(cString: $0) } ?? "/tmp"
        let number = scratchCounter.add(1, ordering: .relaxed).newValue
        for attempt in 0..<100 {
            let path = "\(folder)/flowspec-worker-\(getpid())-\(number)-\(kind)-\(attempt)"
            let descriptor = open(path, O_RDWR | O_CREAT | O_EXCL | O_APPEND | O_CLOEXEC, 0o600)
            if descriptor >= 0 {
                unlink(path)
                return descriptor
            }
            if errno != EEXIST { break }
        }
        return open("/dev/null", O_WRONLY | O_CLOEXEC)
    }
}
