import FlowReport

/// What a handler answers, before it becomes an HTTP response: a status, a media type and a body.
struct Reply: Sendable {
    var status: Int
    var type: String
    var body: [UInt8]

    static func page(_ html: HTML, status: Int = 200) -> Reply {
        Reply(status: status, type: "text/html; charset=utf-8", body: Array(html.markup.utf8))
    }

    static func text(_ text: String, status: Int = 200) -> Reply {
        Reply(status: status, type: "text/plain; charset=utf-8", body: Array(text.utf8))
    }

    static func json(_ bytes: [UInt8]) -> Reply { Reply(status: 200, type: "application/json", body: bytes) }

    static func script(_ text: String) -> Reply { Reply(status: 200, type: "text/javascript; charset=utf-8", body: Array(text.utf8)) }

    /// A page saying what was not found or went wrong.
    static func problem(_ status: Int, _ title: String, _ message: String, store: String) -> Reply {
        .page(UIPages.problem(title, message, store: store), status: status)
    }
}

/// A URL's query: `name=value` pairs, percent-decoded, `+` read as a space (as forms send it).
struct Query: Sendable {
    private let pairs: [(String, String)]

    init(_ raw: String?) {
        pairs = (raw ?? "").split(separator: "&").compactMap { pair in
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard let name = Percent.decoded(parts[0], plus: true) else { return nil }
            return (name, parts.count > 1 ? Percent.decoded(parts[1], plus: true) ?? "" : "")
        }
    }

    /// The first value of `name`; nil when absent or empty (a form's "any").
    subscript(_ name: String) -> String? {
        pairs.first { $0.0 == name && !$0.1.isEmpty }?.1
    }

    func all(_ name: String) -> [String] { pairs.filter { $0.0 == name && !$0.1.isEmpty }.map(\.1) }

    func int(_ name: String) -> Int? { self[name].flatMap { Int($0) } }
}
