import FlowStore

/// What a step's tasks add up to, as its node in the graph is coloured.
public struct StepState: Hashable, Sendable {
    public enum Phase: String, Sendable {
        /// It has no task yet, in a run still going.
        case pending
        case running, completed, failed, interrupted
        /// Every task was taken from an earlier run.
        case reused
        /// It has no task and the run is over: a switch case not taken, or a run that stopped first.
        case notRun = "not-run"
    }

    public var phase: Phase
    public var counts: TaskCounts
    public var total: Int

    public init(tasks: [TaskRecord], runStatus: RunStatus) {
        counts = tasks.reduce(into: [:]) { $0[$1.status, default: 0] += 1 }
        total = tasks.count
        phase = Self.phase(counts, total: total, runStatus: runStatus)
    }

    private static func phase(_ counts: TaskCounts, total: Int, runStatus: RunStatus) -> Phase {
        func has(_ status: TaskStatus) -> Bool { (counts[status] ?? 0) > 0 }
        if total == 0 { return runStatus == .running ? .pending : .notRun }
        if has(.failed) { return .failed }
        if has(.running) { return .running }
        if has(.interrupted) { return .interrupted }
        if has(.pending) { return runStatus == .running ? .running : .interrupted }
        return counts[.reused] == total ? .reused : .completed
    }

    /// `12/12 done`, `3 failed`: the line under the step's name.
    public var line: String {
        let done = (counts[.completed] ?? 0) + (counts[.reused] ?? 0)
        var parts = ["\(done)/\(total)"]
        if let failed = counts[.failed], failed > 0 { parts.append("\(failed) failed") }
        if let running = counts[.running], running > 0 { parts.append("\(running) running") }
        if let stopped = counts[.interrupted], stopped > 0 { parts.append("\(stopped) interrupted") }
        return total == 0 ? phase.rawValue.replacingHyphens : parts.joined(separator: " · ")
    }
}

extension String {
    var replacingHyphens: String { String(map { $0 == "-" ? " " : $0 }) }
}
