import FlowRuntime
#if canImport(Glibc)
import Glibc
#endif

/// Shows a run as it goes. On a terminal, one live line per step (done / total, running,
/// failed), redrawn at most ten times a second; elsewhere, a plain line as each step finishes
/// and for each failure, so logs stay readable. What tasks print is shown as each task ends,
/// each line prefixed with its task (`per_genre[3] | …`), unless `echo` says otherwise.
final class RunProgress: RunObserver {
    enum Echo {
        /// Task output with a task prefix.
        case prefixed
        /// Task output as printed, so JSON logs stay machine-readable.
        case raw
        /// No task output.
        case quiet
    }

    private struct Counts {
        var total = 0, running = 0, done = 0, failed = 0, retried = 0, reused = 0
    }

    private let steps: [String]
    private let live: Bool
    private let echo: Echo
    private var counts: [String: Counts] = [:]
    private var drawnLines = 0
    private var lastDraw = 0.0
    private let started = now()

    init(steps: [String], live: Bool, echo: Echo) {
        self.steps = steps
        self.live = live
        self.echo = echo
    }

    func taskQueued(_ key: TaskKey) { counts[key.step, default: Counts()].total += 1 }

    func taskStarted(_ key: TaskKey, parents: [TaskKey], attempt: Int) {
        counts[key.step, default: Counts()].running += 1
        if attempt > 1 {
            // The failure before a retry was not the task's last word.
            counts[key.step, default: Counts()].failed -= 1
            counts[key.step, default: Counts()].retried += 1
            if !live { Terminal.writeError("↻ \(key) attempt \(attempt)\n") }
        }
        redraw()
    }

    func taskFinished(_ key: TaskKey, _ result: TaskResult) {
        var step = counts[key.step, default: Counts()]
        step.running -= 1
        if result.failure == nil { step.done += 1 } else { step.failed += 1 }
        counts[key.step] = step
        show(result, of: key)
        if live {
            redraw()
        } else if let failure = result.failure {
            Terminal.writeError("✗ \(key) failed: \(failure.message)\n")
        } else if step.done == step.total, step.running == 0 {
            Terminal.writeError("✓ \(key.step) \(step.done)/\(step.total)\n")
        }
    }

    func taskReused(_ key: TaskKey, parents: [TaskKey]) {
        counts[key.step, default: Counts()].done += 1
        counts[key.step, default: Counts()].reused += 1
        redraw()
    }

    func taskCaught(_ key: TaskKey, _ outputs: [String: ArtifactRef]) {
        counts[key.step, default: Counts()].failed -= 1
        counts[key.step, default: Counts()].done += 1
        if !live { Terminal.writeError("↳ \(key) failed; its error is caught and the run goes on\n") }
        redraw()
    }

    /// The final state, drawn once more on a terminal.
    func finish() {
        guard live else { return }
        lastDraw = 0
        redraw()
    }

    /// The task's captured output, above the live lines on a terminal.
    private func show(_ result: TaskResult, of key: TaskKey) {
        guard echo != .quiet, !(result.stdout.isEmpty && result.stderr.isEmpty) else { return }
        if live, drawnLines > 0 {
            Terminal.writeError("\u{1B}[\(drawnLines)F\u{1B}[J")
            drawnLines = 0
        }
        Terminal.write(lines(of: result.stdout, key))
        Terminal.writeError(lines(of: result.stderr, key))
        lastDraw = 0
    }

    private func lines(of text: String, _ key: TaskKey) -> String {
        guard !text.isEmpty else { return "" }
        let body = text.hasSuffix("\n") ? text : text + "\n"
        guard echo == .prefixed else { return body }
        return body.split(separator: "\n", omittingEmptySubsequences: false).dropLast().map { "\(key) | \($0)\n" }.joined()
    }

    private func redraw() {
        guard live else { return }
        let time = Self.now()
        guard time - lastDraw >= 0.1 else { return }
        lastDraw = time
        var text = drawnLines > 0 ? "\u{1B}[\(drawnLines)F" : ""
        let shown = steps.filter { counts[$0] != nil }
        for step in shown {
            let c = counts[step] ?? Counts()
            let mark = c.failed > 0 ? "✗" : (c.done == c.total && c.running == 0 ? "✓" : "…")
            var line = "\(mark) \(step)  \(c.done)/\(c.total)"
            if c.running > 0 { line += "  running \(c.running)" }
            if c.failed > 0 { line += "  failed \(c.failed)" }
            if c.retried > 0 { line += "  retried \(c.retried)" }
            if c.reused > 0 { line += "  reused \(c.reused)" }
            text += line + "\u{1B}[K\n"
        }
        text += format1(time - started) + "\u{1B}[K\n"
        drawnLines = shown.count + 1
        Terminal.writeError(text)
    }

    private func format1(_ seconds: Double) -> String {
        "  \(Double(Int(seconds * 10)) / 10)s"
    }

    private static func now() -> Double {
        var time = timespec()
        clock_gettime(CLOCK_MONOTONIC, &time)
        return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
    }
}
