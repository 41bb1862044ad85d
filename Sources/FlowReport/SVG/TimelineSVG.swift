import FlowBasics
import FlowStore

/// Where the run's time went, as a Gantt chart in inline SVG: a row per step (its attempts over
/// its span), then a row per worker process with the attempts it ran, coloured by step; failed
/// attempts outlined red, retries among them. Attempts too short to see apart are drawn as one
/// bar, so a run of 10,000 tasks draws at most a few bars per pixel of width.
enum TimelineSVG {
    static let labelWidth = 150.0, plotWidth = 850.0, rowHeight = 18.0, top = 22.0

    struct Bar {
        var x1: Double
        var x2: Double
        var style: String
        var tip: String
        var count = 1
    }

    static func render(_ snapshot: RunSnapshot) -> HTML {
        let scale = Scale(start: snapshot.run.createdAt, end: snapshot.end, width: plotWidth, offset: labelWidth)
        let rows = TimelineRows(snapshot)
        var body: [HTML] = []
        for (index, row) in rows.rows.enumerated() {
            let y = top + Double(index) * rowHeight
            let bars = merged(row.attempts.map { bar($0, rows: rows, scale: scale) })
            body.append(lane(row.label, heading: row.isHeading, y: y, bars: bars))
        }
        let height = top + Double(rows.rows.count) * rowHeight + 8
        return """
            <svg class="timeline" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 \(labelWidth + plotWidth + 10) \(height)" \
            width="100%" preserveAspectRatio="xMinYMin meet" role="img" aria-label="timeline of tasks and attempts">\
            \(axis(scale, height: height))\(body)</svg>
            """
    }

    private static func lane(_ label: String, heading: Bool, y: Double, bars: [Bar]) -> HTML {
        let rects = bars.map { bar -> HTML in
            let tip = bar.count > 1 ? "\(bar.count) attempts: \(bar.tip)" : bar.tip
            return """
                <rect class="bar \(bar.style)" x="\(bar.x1)" y="\(y + 3)" width="\(max(bar.x2 - bar.x1, 1))" height="\(rowHeight - 6)"><title>\(tip)</title></rect>
                """
        }
        return """
            <g class="lane\(heading ? " heading" : "")"><text class="lane-label" x="4" y="\(y + rowHeight - 5)">\(GraphSVG.clipped(label, 22))</text>\
            <line class="lane-rule" x1="\(labelWidth)" x2="\(labelWidth + plotWidth)" y1="\(y + rowHeight)" y2="\(y + rowHeight)"/>\(rects)</g>
            """
    }

    private static func bar(_ attempt: AttemptTiming, rows: TimelineRows, scale: Scale) -> Bar {
        let end = attempt.finishedAt ?? scale.end
        let task = rows.tasks[attempt.task]
        let path = task?.path ?? "task \(attempt.task)"
        var tip = "\(path) attempt \(attempt.number): \(attempt.status.rawValue), "
            + DisplayFormat.duration(milliseconds: end - attempt.startedAt)
        if let pid = attempt.workerPID { tip += ", worker \(pid)" }
        if let error = attempt.error { tip += "; " + error.summary }
        let status = attempt.status == .failed ? " failed" : attempt.status == .running ? " running" : ""
        let style = "c\((rows.stepIndex[task?.step ?? ""] ?? 0) % 8)" + status + (attempt.number > 1 ? " retry" : "")
        return Bar(x1: scale.x(attempt.startedAt), x2: scale.x(end), style: style, tip: tip)
    }

    /// Bars in start order, each run of bars too narrow to tell apart (under 2 px, touching,
    /// alike) drawn as one.
    static func merged(_ bars: [Bar]) -> [Bar] {
        var result: [Bar] = []
        for bar in bars.sorted(by: { $0.x1 < $1.x1 }) {
            if var last = result.last, last.style == bar.style, bar.x1 <= last.x2 + 0.5,
               last.x2 - last.x1 < 2 || bar.x2 - bar.x1 < 2 {
                last.x2 = max(last.x2, bar.x2)
                last.count += bar.count
                result[result.count - 1] = last
            } else {
                result.append(bar)
            }
        }
        return result
    }

    private static func axis(_ scale: Scale, height: Double) -> HTML {
        let ticks = (0...4).map { step -> HTML in
            let time = scale.start + (scale.end - scale.start) * Int64(step) / 4
            let x = scale.x(time)
            let anchor = step == 4 ? "end" : step == 0 ? "start" : "middle"
            return """
                <line class="tick" x1="\(x)" x2="\(x)" y1="\(top - 4)" y2="\(height - 8)"/>\
                <text class="tick-label" x="\(x)" y="12" text-anchor="\(anchor)">\(DisplayFormat.duration(milliseconds: time - scale.start))</text>
                """
        }
        return "<g class=\"axis\">\(ticks)</g>"
    }

    struct Scale {
        let start: Timestamp
        let end: Timestamp
        let width: Double
        let offset: Double

        init(start: Timestamp, end: Timestamp, width: Double, offset: Double) {
            self.start = start
            self.end = max(end, start + 1)
            self.width = width
            self.offset = offset
        }

        func x(_ time: Timestamp) -> Double {
            offset + width * Double(min(max(time, start), end) - start) / Double(end - start)
        }
    }
}

/// The rows of a timeline: a heading, each step's, a heading, each worker's.
struct TimelineRows {
    struct Row {
        var label: String
        var isHeading = false
        var attempts: [AttemptTiming] = []
    }

    let rows: [Row]
    let tasks: [TaskID: TaskRecord]
    let stepIndex: [String: Int]

    init(_ snapshot: RunSnapshot) {
        tasks = Dictionary(snapshot.tasks.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        stepIndex = Dictionary(snapshot.steps.enumerated().map { ($1.name, $0) }, uniquingKeysWith: { a, _ in a })
        let all = snapshot.tasks.flatMap { snapshot.attempts[$0.id] ?? [] }
        let tasks = self.tasks
        let byStep = Dictionary(grouping: all) { tasks[$0.task]?.step ?? "" }
        var rows = [Row(label: "steps", isHeading: true)]
        rows += snapshot.steps.compactMap { step in byStep[step.name].map { Row(label: step.name, attempts: $0) } }
        let byWorker = Dictionary(grouping: all) { $0.workerPID.map { "worker \($0)" } ?? ($0.status == .running ? "running now" : "no worker") }
        rows.append(Row(label: "workers", isHeading: true))
        rows += byWorker.keys.sorted().map { Row(label: $0, attempts: byWorker[$0] ?? []) }
        self.rows = rows
    }
}
