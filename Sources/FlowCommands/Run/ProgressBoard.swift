import FlowRuntime

/// The counts a run's progress shows, per step, and the lines that show them. A plain value:
/// `RunProgress` keeps it behind a lock and decides when to draw.
struct ProgressBoard {
    struct Counts {
        var total = 0, running = 0, done = 0, failed = 0, retried = 0, reused = 0
        /// Of the running, those whose job waits in a cluster's queue.
        var pending = 0
        /// When its first task started, for the ETA.
        var firstStart: Double?

        var finished: Bool { done == total && running == 0 }
    }

    /// Steps in plan order.
    let steps: [String]
    /// Steps inside a switch loop: they finish many times, so only the end says they did.
    let looping: Set<String>
    private(set) var counts: [String: Counts] = [:]
    /// Steps whose `✓` line has been printed (off a terminal).
    private var announced: Set<String> = []

    /// A fan-out this big shows an estimate of the time left.
    static let etaThreshold = 20

    init(steps: [String], looping: Set<String>) {
        self.steps = steps
        self.looping = looping
    }

    mutating func update(_ step: String, _ change: (inout Counts) -> Void) {
        change(&counts[step, default: Counts()])
    }

    /// The `✓ step done/total` lines of steps finished for good, each once, in plan order: a
    /// step is finished for good when it and every step before it that has tasks are finished
    /// (only those can give it more tasks). Steps in a loop wait for `closingAnnouncements`.
    mutating func announcements() -> String {
        var text = ""
        for step in steps {
            guard let c = counts[step] else { continue }
            guard c.finished else { break }
            guard !looping.contains(step), announced.insert(step).inserted else { continue }
            text += Self.done(step, c)
        }
        return text
    }

    /// The `✓` lines the run's end owes: finished steps not announced yet (looping ones included).
    mutating func closingAnnouncements() -> String {
        var text = ""
        for step in steps {
            guard let c = counts[step], c.finished, announced.insert(step).inserted else { continue }
            text += Self.done(step, c)
        }
        return text
    }

    /// `✓ per_genre 12/12`, with how many were taken from an earlier run: `(12 reused)`.
    private static func done(_ step: String, _ c: Counts) -> String {
        "✓ \(step) \(c.done)/\(c.total)" + (c.reused > 0 ? " (\(c.reused) reused)" : "") + "\n"
    }

    /// One line per step seen so far, then the clock: the live display on a terminal.
    func liveLines(at time: Double, since started: Double) -> [String] {
        let shown = steps.filter { counts[$0] != nil }
        return shown.map { step in
            let c = counts[step]!
            let mark = c.failed > 0 ? "✗" : (c.finished ? "✓" : "…")
            return "\(mark) \(step)  \(c.done)/\(c.total)" + details(c, at: time)
        } + ["  " + Self.clock(time - started)]
    }

    /// One line of counts, for logs: `… 20s: 43/104 tasks done, 2 running; per_genre 40/100 running 2`.
    func statusLine(at time: Double, since started: Double) -> String {
        let all = counts.values
        let done = all.reduce(0) { $0 + $1.done }, total = all.reduce(0) { $0 + $1.total }
        let running = all.reduce(0) { $0 + $1.running - $1.pending }, pending = all.reduce(0) { $0 + $1.pending }
        let open = steps.compactMap { step in
            counts[step].flatMap { c in c.finished ? nil : "\(step) \(c.done)/\(c.total)" + details(c, at: time) }
        }
        return "… \(Self.clock(time - started)): \(done)/\(total) tasks done, \(running) running"
            + (pending > 0 ? ", \(pending) pending" : "")
            + (open.isEmpty ? "" : "; " + open.joined(separator: ", ")) + "\n"
    }

    private func details(_ c: Counts, at time: Double) -> String {
        var line = ""
        if c.running > c.pending { line += "  running \(c.running - c.pending)" }
        if c.pending > 0 { line += "  pending \(c.pending)" }
        if c.failed > 0 { line += "  failed \(c.failed)" }
        if c.retried > 0 { line += "  retried \(c.retried)" }
        if c.reused > 0 { line += "  reused \(c.reused)" }
        if let eta = eta(c, at: time) { line += "  ETA \(Self.rounded(eta))" }
        return line
    }

    /// The time left at the rate tasks have finished so far, for a big fan-out under way.
    private func eta(_ c: Counts, at time: Double) -> Double? {
        let ran = c.done - c.reused
        guard c.total >= Self.etaThreshold, ran > 0, c.done < c.total, let start = c.firstStart else { return nil }
        return (time - start) / Double(ran) * Double(c.total - c.done)
    }

    /// `12.3s`, with the tenths that make a clock move.
    static func clock(_ seconds: Double) -> String {
        seconds < 60 ? "\(Double(Int(seconds * 10)) / 10)s" : rounded(seconds)
    }

    /// `8s`, `3m05s`.
    static func rounded(_ seconds: Double) -> String {
        let whole = Int(seconds.rounded(.up))
        return whole < 60 ? "\(whole)s" : "\(whole / 60)m" + (whole % 60 < 10 ? "0" : "") + "\(whole % 60)s"
    }
}
