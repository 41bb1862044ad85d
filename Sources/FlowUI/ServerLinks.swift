import FlowReport
import FlowStore

/// The UI's URLs, made here and matched by `UIRoutes`: one place decides both.
///
///     /                                  runs (?flow= &status= &tag= &user= &page=)
///     /runs/ID                           a run (?step= &status= &page= for its task table)
///     /runs/ID/STEP[/LABEL]              a task (LABEL's `#` written %23)
///     /runs/ID/live                      the state of a running run, as JSON
///     /runs/ID/report                    the run's report file
///     /compare?run=A&run=B               two runs side by side
///     /log?task=N&attempt=K&stream=S     an attempt's whole stdout or stderr
///     /preview?task=N&name=NAME          an artifact's preview, a fragment of markup
struct ServerLinks: PageLinks {
    func run(_ run: RunRecord) -> String? { "/runs/\(run.id.rawValue)" }

    func step(_ step: String, of run: RunRecord) -> String? {
        "/runs/\(run.id.rawValue)?step=\(Percent.encoded(step))#tasks"
    }

    func task(_ task: TaskRecord, of run: RunRecord) -> String? {
        let label = task.label.description
        return "/runs/\(run.id.rawValue)/\(Percent.encoded(task.step))" + (label.isEmpty ? "" : "/" + Percent.encoded(label))
    }

    func taskPage(_ page: Int, of run: RunRecord, filter: TaskFilter) -> String? {
        var query = ["page=\(page)"]
        if let step = filter.step { query.append("step=\(Percent.encoded(step))") }
        if let status = filter.status { query.append("status=\(status.rawValue)") }
        return "/runs/\(run.id.rawValue)?" + query.joined(separator: "&") + "#tasks"
    }

    func log(_ stream: String, attempt: Int, of task: TaskRecord, run: RunRecord) -> String? {
        "/log?task=\(task.id.rawValue)&attempt=\(attempt)&stream=\(stream)"
    }

    func live(_ run: RunRecord) -> String { "/runs/\(run.id.rawValue)/live" }

    func preview(_ artifact: ArtifactRecord) -> String { "/preview?task=\(artifact.task.rawValue)&name=\(Percent.encoded(artifact.name))" }

    func runs(_ listing: RunListing, page: Int) -> String {
        var query: [String] = []
        if let flow = listing.flow { query.append("flow=\(Percent.encoded(flow))") }
        if let status = listing.status { query.append("status=\(status.rawValue)") }
        if let tag = listing.tag { query.append("tag=\(Percent.encoded(tag))") }
        if let user = listing.user { query.append("user=\(Percent.encoded(user))") }
        if page > 0 { query.append("page=\(page)") }
        return "/" + (query.isEmpty ? "" : "?" + query.joined(separator: "&"))
    }
}

/// Percent-encoding of URL parts: everything but unreserved characters is encoded, so a name
/// can go in a path or a query as it is.
enum Percent {
    static func encoded(_ text: String) -> String {
        var result = ""
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                 UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"):
                result.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                result += "%" + String(byte >> 4, radix: 16, uppercase: true) + String(byte & 15, radix: 16, uppercase: true)
            }
        }
        return result
    }

    /// `%XX` decoded (and `+` as a space when `plus`); nil for a malformed escape or bytes that
    /// are not UTF-8.
    static func decoded(_ text: some StringProtocol, plus: Bool = false) -> String? {
        var bytes: [UInt8] = []
        var iterator = Array(text.utf8).makeIterator()
        while let byte = iterator.next() {
            if byte == UInt8(ascii: "%") {
                guard let high = iterator.next().flatMap(hex), let low = iterator.next().flatMap(hex) else { return nil }
                bytes.append(high << 4 | low)
            } else {
                bytes.append(plus && byte == UInt8(ascii: "+") ? UInt8(ascii: " ") : byte)
            }
        }
        return String(validating: bytes, as: UTF8.self)
    }

    private static func hex(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
