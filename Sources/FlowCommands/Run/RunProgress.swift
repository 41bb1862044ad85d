import Dispatch
import FlowBasics
import FlowRuntime
import LocalExecution
import Synchronization
import Glibc

/// Shows a run as it goes. On a terminal, one live line per step (done / total, running,
/// failed, an ETA for a big fan-out) and the clock, redrawn ten times a second; elsewhere, a
/// plain line as each step finishes for good and for each failure, and a line of counts when
/// nothing else was printed for `statusInterval` seconds, so logs stay readable and never
/// silent. What tasks print is shown as they print it, each line prefixed with its task
/// (`[per_genre/3] …`), unless `echo` says otherwise.
///
/// The scheduler, the workers' output and the clock call it from different threads: all of
/// its state is behind one lock, which also keeps what it writes in order.
final class RunProgress: RunObserver, @unchecked Sendable {
    enum Echo {
        /// Task output with a task prefix.
        case prefixed
        /// Task output as printed, so JSON logs stay machine-readable.
        case raw
        /// No task output.
        case quiet
    }

    private struct State {
        var board: ProgressBoard
        /// The tasks whose job waits in a cluster's queue.
        var pending: Set<TaskKey> = []
        var drawnLines = 0
        /// When a line was last printed off a terminal.
        var lastLine: Double
    }

    private let live: Bool
    private let echo: Echo
    /// How tasks are named (`ExecutionPlan.path(of:)`).
    private let name: @Sendable (TaskKey) -> String
    private let statusInterval: Double
    private let started = now()
    private let state: Mutex<State>
    private let clock = DispatchSource.makeTimerSource(queue: DispatchQueue(label: "flowspec.progress"))

    /// Off a terminal, a line of counts after this many quiet seconds (`FLOWSPEC_PROGRESS_INTERVAL`).
    static let defaultStatusInterval = 10.0

    init(steps: [String], looping: Set<String>, live: Bool, echo: Echo, name: @escaping @Sendable (TaskKey) -> String,
         statusInterval: Double = defaultStatusInterval) {
        self.live = live
        self.echo = echo
        self.name = name
        self.statusInterval = statusInterval
        state = Mutex(State(board: ProgressBoard(steps: steps, looping: looping), lastLine: started))
        let tick = live ? DispatchTimeInterval.milliseconds(100) : .milliseconds(Int(min(statusInterval, 1) * 1000))
        clock.schedule(deadline: .now() + tick, repeating: tick, leeway: .milliseconds(20))
        clock.setEventHandler { [weak self] in self?.tick() }
        clock.resume()
    }

    deinit { clock.cancel() }

    func taskQueued(_ key: TaskKey) {
        state.withLock { $0.board.update(key.step) { $0.total += 1 } }
    }

    func taskStarted(_ key: TaskKey, parents: [TaskKey], attempt: Int) {
        let time = Self.now()
        state.withLock { state in
            state.board.update(key.step) { c in
                c.running += 1
                c.firstStart = c.firstStart ?? time
                if attempt > 1 {
                    // The failure before a retry was not the task's last word.
                    c.failed -= 1
                    c.retried += 1
                }
            }
            if attempt > 1 { say("↻ \(name(key)) attempt \(attempt)\n", &state) }
        }
    }

    func taskPending(_ key: TaskKey, _ pending: Bool) {
        state.withLock { state in
            guard pending != state.pending.contains(key) else { return }
            if pending { state.pending.insert(key) } else { state.pending.remove(key) }
            state.board.update(key.step) { $0.pending += pending ? 1 : -1 }
        }
    }

    func taskFinished(_ key: TaskKey, _ result: TaskResult) {
        state.withLock { state in
            let wasPending = state.pending.remove(key) != nil
            state.board.update(key.step) { c in
                if wasPending { c.pending -= 1 }
                c.running -= 1
                if result.failure == nil { c.done += 1 } else { c.failed += 1 }
            }
            if let failure = result.failure {
                say("✗ \(name(key)) failed: \(failure.summary)\n", &state)
            } else {
                say(state.board.announcements(), &state)
            }
        }
    }

    func taskReused(_ key: TaskKey, parents: [TaskKey], from origin: ReusedTask, identity: TaskIdentity) {
        state.withLock { state in
            state.board.update(key.step) { c in
                c.done += 1
                c.reused += 1
            }
            say(state.board.announcements(), &state)
        }
    }

    func taskCaught(_ key: TaskKey, _ outputs: [String: ArtifactRef]) {
        state.withLock { state in
            state.board.update(key.step) { c in
                c.failed -= 1
                c.done += 1
            }
            say("↳ \(name(key)) failed; its error is caught and the run goes on\n", &state)
            say(state.board.announcements(), &state)
        }
    }

    /// Lines a running task printed, above the live lines on a terminal.
    func printed(_ key: TaskKey, _ stream: PrintedStream, _ text: String) {
        guard echo != .quiet, !text.isEmpty else { return }
        let body = text.hasSuffix("\n") ? text : text + "\n"
        let lines = echo == .raw ? body : Self.prefixed(body, with: "[\(name(key))] ")
        state.withLock { state in
            clearLive(&state)
            if stream == .stdout { Terminal.write(lines) } else { Terminal.writeError(lines) }
            redraw(&state)
        }
    }

    /// The final state: drawn once more on a terminal, the `✓` lines still owed elsewhere.
    func finish() {
        clock.cancel()
        state.withLock { state in
            if live {
                redraw(&state)
            } else {
                Terminal.writeError(state.board.closingAnnouncements())
            }
        }
    }

    // MARK: Drawing

    private func tick() {
        state.withLock { state in
            if live {
                redraw(&state)
            } else if Self.now() - state.lastLine >= statusInterval {
                say(state.board.statusLine(at: Self.now(), since: started), &state)
            }
        }
    }

    /// A line for logs; on a terminal the live lines say it instead.
    private func say(_ text: String, _ state: inout State) {
        guard !live, !text.isEmpty else { return }
        Terminal.writeError(text)
        state.lastLine = Self.now()
    }

    private func clearLive(_ state: inout State) {
        guard live, state.drawnLines > 0 else { return }
        Terminal.writeError("\u{1B}[\(state.drawnLines)F\u{1B}[J")
        state.drawnLines = 0
    }

    private func redraw(_ state: inout State) {
        // Nothing until the first task: the run's id and other lines come before the live ones.
        guard live, !state.board.counts.isEmpty else { return }
        let lines = state.board.liveLines(at: Self.now(), since: started)
        let home = state.drawnLines > 0 ? "\u{1B}[\(state.drawnLines)F" : ""
        Terminal.writeError(home + lines.map { $0 + "\u{1B}[K\n" }.joined())
        state.drawnLines = lines.count
    }

    private static func prefixed(_ body: String, with prefix: String) -> String {
        body.split(separator: "\n", omittingEmptySubsequences: false).dropLast().map { "\(prefix)\($0)\n" }.joined()
    }

    private static func now() -> Double {
        var time = timespec()
        clock_gettime(CLOCK_MONOTONIC, &time)
        return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
    }
}
