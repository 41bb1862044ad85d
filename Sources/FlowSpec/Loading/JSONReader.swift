import FlowBasics

/// Reads JSON (RFC 8259) into the same located node tree as YAML, with 1-based lines and
/// columns counted in characters. Recursion is bounded by `LoadLimits.maxDepth`.
struct JSONReader {
    let file: String
    let limits: LoadLimits

    func read(_ bytes: [UInt8]) -> (root: Node?, diagnostics: [Diagnostic]) {
        var scanner = JSONScanner(bytes: bytes, file: file, limits: limits)
        do {
            scanner.skipWhitespace()
            if scanner.atEnd {
                return (nil, [Diagnostic(.emptySpec, at: .point(file), "the spec is empty",
                                         hint: "a spec is an object with 'flowspec', 'name' and 'steps'")])
            }
            let root = try scanner.value(depth: 0)
            scanner.skipWhitespace()
            if !scanner.atEnd { throw scanner.failure("unexpected text after the end of the document") }
            return (root, scanner.diagnostics)
        } catch let failure as JSONScanner.Failure {
            return (nil, scanner.diagnostics + [failure.diagnostic])
        } catch {
            return (nil, scanner.diagnostics)
        }
    }
}

private struct JSONScanner {
    struct Failure: Error { let diagnostic: Diagnostic }

    let bytes: [UInt8]
    let file: String
    let limits: LoadLimits
    var offset = 0
    var line = 1
    var column = 1
    var diagnostics: [Diagnostic] = []

    init(bytes: [UInt8], file: String, limits: LoadLimits) {
        self.bytes = bytes
        self.file = file
        self.limits = limits
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { offset = 3 }
    }

    var atEnd: Bool { offset >= bytes.count }
    var position: SourcePosition { SourcePosition(line: line, column: column) }
    private var peek: UInt8? { atEnd ? nil : bytes[offset] }

    mutating func advance() {
        let byte = bytes[offset]
        offset += 1
        if byte == UInt8(ascii: "\n") {
            line += 1
            column = 1
        } else if byte & 0xC0 != 0x80 {
            column += 1
        }
    }

    mutating func skipWhitespace() {
        while let byte = peek, byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D { advance() }
    }

    func failure(_ message: String, hint: String? = nil) -> Failure {
        Failure(diagnostic: Diagnostic(.syntaxError, at: SourceSpan(file: file, start: position, end: position),
                                       "invalid JSON: \(message)", hint: hint))
    }

    mutating func value(depth: Int) throws -> Node {
        skipWhitespace()
        guard let byte = peek else { throw failure("the document ends where a value was expected") }
        let start = position
        switch byte {
        case UInt8(ascii: "{"): return try object(depth: depth + 1)
        case UInt8(ascii: "["): return try array(depth: depth + 1)
        case UInt8(ascii: "\""):
            let text = try string()
            return Node(.string(text), span: span(from: start), scalarText: text)
        case UInt8(ascii: "t"): return try literal("true", .bool(true), from: start)
        case UInt8(ascii: "f"): return try literal("false", .bool(false), from: start)
        case UInt8(ascii: "n"): return try literal("null", .null, from: start)
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            if byte == UInt8(ascii: "-") { try refuseNonFinite() }
            return try number(from: start)
        default:
            try refuseNonFinite()
            throw failure("unexpected character '\(Character(Unicode.Scalar(byte)))'",
                          hint: "JSON needs double-quoted strings and no trailing commas or comments")
        }
    }

    /// Python's `json` reads `Infinity`, `-Infinity` and `NaN`, but JSON has no such numbers.
    private func refuseNonFinite() throws {
        let rest = bytes[offset...].drop { $0 == UInt8(ascii: "-") }
        guard let word = ["Infinity", "NaN"].first(where: { rest.starts(with: $0.utf8) }) else { return }
        throw failure("JSON has no number \(word)", hint: "in a YAML spec it is .inf, -.inf or .nan")
    }

    private func span(from start: SourcePosition) -> SourceSpan {
        SourceSpan(file: file, start: start, end: position)
    }

    private mutating func enter(depth: Int) throws {
        guard depth <= limits.maxDepth else {
            throw Failure(diagnostic: Diagnostic(
                .nestingTooDeep, at: SourceSpan(file: file, start: position, end: position),
                "values are nested more than \(limits.maxDepth) levels deep",
                hint: "a spec needs only a few levels; flatten this value or load it from a file param"))
        }
        advance()
    }

    private mutating func object(depth: Int) throws -> Node {
        let start = position
        try enter(depth: depth)
        var entries: [Node.Entry] = []
        var firstSeen: [String: SourceSpan] = [:]
        skipWhitespace()
        if peek == UInt8(ascii: "}") {
            advance()
            return Node(.mapping([]), span: span(from: start))
        }
        while true {
            skipWhitespace()
            guard peek == UInt8(ascii: "\"") else { throw failure("expected a double-quoted key") }
            let keyStart = position
            let name = try string()
            let key = Node(.string(name), span: span(from: keyStart), scalarText: name)
            skipWhitespace()
            guard peek == UInt8(ascii: ":") else { throw failure("expected ':' after the key '\(name)'") }
            advance()
            let value = try value(depth: depth)
            if let first = firstSeen[name] {
                diagnostics.append(Diagnostic(
                    .duplicateKey, at: key.span, "duplicate key '\(name)'",
                    hint: "remove one of them or merge their contents; a later key would silently replace the first",
                    notes: [DiagnosticNote("'\(name)' first appears here", at: first)]))
            } else {
                firstSeen[name] = key.span
                entries.append(Node.Entry(key: key, value: value))
            }
            skipWhitespace()
            switch peek {
            case UInt8(ascii: ","): advance()
            case UInt8(ascii: "}"):
                advance()
                return Node(.mapping(entries), span: span(from: start))
            default: throw failure("expected ',' or '}' after the value of '\(name)'")
            }
        }
    }

    private mutating func array(depth: Int) throws -> Node {
        let start = position
        try enter(depth: depth)
        var items: [Node] = []
        skipWhitespace()
        if peek == UInt8(ascii: "]") {
            advance()
            return Node(.sequence([]), span: span(from: start))
        }
        while true {
            items.append(try value(depth: depth))
            skipWhitespace()
            switch peek {
            case UInt8(ascii: ","): advance()
            case UInt8(ascii: "]"):
                advance()
                return Node(.sequence(items), span: span(from: start))
            default: throw failure("expected ',' or ']' after a list item")
            }
        }
    }

    private mutating func literal(_ word: String, _ value: Node.Value, from start: SourcePosition) throws -> Node {
        for expected in word.utf8 {
            guard peek == expected else { throw failure("unexpected text; did you mean '\(word)'?") }
            advance()
        }
        return Node(value, span: span(from: start), scalarText: word)
    }

    private mutating func number(from start: SourcePosition) throws -> Node {
        let first = offset
        while let byte = peek, byte == UInt8(ascii: "-") || byte == UInt8(ascii: "+") || byte == UInt8(ascii: ".")
            || byte == UInt8(ascii: "e") || byte == UInt8(ascii: "E") || (0x30...0x39).contains(byte) { advance() }
        let text = String(decoding: bytes[first..<offset], as: UTF8.self)
        let value: Node.Value
        if let integer = Int(text) {
            value = .int(integer)
        } else if let double = Double(text), text.first != "+" {
            value = .float(double)
        } else {
            throw Failure(diagnostic: Diagnostic(.syntaxError, at: span(from: start), "invalid JSON: '\(text)' is not a number"))
        }
        return Node(value, span: span(from: start), scalarText: text)
    }

    private mutating func string() throws -> String {
        advance()  // the opening quote
        var scalars = String.UnicodeScalarView()
        var run = offset
        func flush(_ scanner: JSONScanner) { scalars.append(contentsOf: String(decoding: scanner.bytes[run..<scanner.offset], as: UTF8.self).unicodeScalars) }
        while let byte = peek {
            switch byte {
            case UInt8(ascii: "\""):
                flush(self)
                advance()
                return String(scalars)
            case UInt8(ascii: "\\"):
                flush(self)
                advance()
                scalars.append(try escape())
                run = offset
            case 0..<0x20:
                throw failure("a control character must be escaped inside a string")
            default:
                advance()
            }
        }
        throw failure("the document ends inside a string")
    }

    private mutating func escape() throws -> Unicode.Scalar {
        guard let byte = peek else { throw failure("the document ends inside a string") }
        advance()
        switch byte {
        case UInt8(ascii: "\""): return "\""
        case UInt8(ascii: "\\"): return "\\"
        case UInt8(ascii: "/"): return "/"
        case UInt8(ascii: "b"): return "\u{08}"
        case UInt8(ascii: "f"): return "\u{0C}"
        case UInt8(ascii: "n"): return "\n"
        case UInt8(ascii: "r"): return "\r"
        case UInt8(ascii: "t"): return "\t"
        case UInt8(ascii: "u"):
            let high = try hex4()
            if (0xD800..<0xDC00).contains(high), peek == UInt8(ascii: "\\") {
                advance()
                guard peek == UInt8(ascii: "u") else { throw failure("expected a low surrogate '\\u' escape") }
                advance()
                let low = try hex4()
                if let scalar = Unicode.Scalar(0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00)) { return scalar }
            } else if let scalar = Unicode.Scalar(high) {
                return scalar
            }
            throw failure("invalid unicode escape")
        default:
            throw failure("invalid escape '\\\(Character(Unicode.Scalar(byte)))'")
        }
    }

    private mutating func hex4() throws -> UInt32 {
        var value: UInt32 = 0
        for _ in 0..<4 {
            guard let byte = peek, let digit = Character(Unicode.Scalar(byte)).hexDigitValue else {
                throw failure("expected four hex digits after '\\u'")
            }
            value = value * 16 + UInt32(digit)
            advance()
        }
        return value
    }
}
