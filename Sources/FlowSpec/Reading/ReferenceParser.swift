import FlowBasics

/// Parses a reference: a name followed by `.attr`, `[0]`, `["key"]` or `['key']`.
enum ReferenceParser {
    static func parse(_ text: String) -> Result<Reference, ReferenceError> {
        // Scanned as UTF-8 bytes, in place: every syntax character is ASCII, and decoding
        // the text into scalars cost more than the rest of reading a step.
        var contiguous = text
        return contiguous.withUTF8 { parse(text, bytes: $0) }
    }

    private static func parse(_ text: String, bytes: UnsafeBufferPointer<UInt8>) -> Result<Reference, ReferenceError> {
        var scanner = Scanner(bytes: bytes)
        guard let head = scanner.name() else {
            return .failure(ReferenceError(message: "'\(text)' does not start with a name"))
        }
        // Most references are a bare name: the text itself.
        guard scanner.peek != nil else { return .success(Reference(head: text)) }
        var path: [Reference.Accessor] = []
        while let next = scanner.peek {
            if next == UInt8(ascii: ".") {
                scanner.advance()
                guard let name = scanner.name() else { return .failure(scanner.error(in: text, "a name after '.'")) }
                path.append(.attribute(scanner.string(name)))
            } else if next == UInt8(ascii: "[") {
                scanner.advance()
                guard let accessor = scanner.subscriptAccessor() else {
                    return .failure(scanner.error(in: text, "an integer or a quoted key inside '[...]'"))
                }
                path.append(accessor)
            } else {
                return .failure(scanner.error(in: text, "'.', '[' or the end"))
            }
        }
        return .success(Reference(head: scanner.string(head), path: path))
    }

    private struct Scanner {
        let bytes: UnsafeBufferPointer<UInt8>
        var offset = 0

        var peek: UInt8? { offset < bytes.count ? bytes[offset] : nil }
        mutating func advance() { offset += 1 }

        /// The bytes of a name; a run of name bytes that starts with a digit is read but refused.
        mutating func name() -> Range<Int>? {
            let start = offset
            while let byte = peek, NameBytes.isTail(byte) { advance() }
            return start < offset && NameBytes.isHead(bytes[start]) ? start..<offset : nil
        }

        mutating func subscriptAccessor() -> Reference.Accessor? {
            let accessor: Reference.Accessor
            if let quote = peek, quote == UInt8(ascii: "\"") || quote == UInt8(ascii: "'") {
                advance()
                let start = offset
                // Multi-byte characters never contain an ASCII byte, so the quote is found by byte.
                while let byte = peek, byte != quote { advance() }
                guard peek == quote else { return nil }
                accessor = .key(string(start..<offset))
                advance()
            } else {
                let start = offset
                if peek == UInt8(ascii: "-") { advance() }
                while let byte = peek, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) { advance() }
                guard let index = Int(string(start..<offset)) else { return nil }
                accessor = .index(index)
            }
            guard peek == UInt8(ascii: "]") else { return nil }
            advance()
            return accessor
        }

        func string(_ range: Range<Int>) -> String {
            String(decoding: UnsafeBufferPointer(rebasing: bytes[range]), as: UTF8.self)
        }

        /// The problem at the current offset, which messages count in Unicode scalars.
        func error(in text: String, _ expected: String) -> ReferenceError {
            let character = bytes[..<offset].count { !UTF8.isContinuation($0) } + 1
            return ReferenceError(message: "'\(text)' is not a valid reference: expected \(expected) at character \(character)")
        }
    }
}

struct ReferenceError: Error {
    let message: String
}
