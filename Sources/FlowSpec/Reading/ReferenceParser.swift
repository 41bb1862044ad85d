import FlowBasics

/// Parses a reference: a name followed by `.attr`, `[0]`, `["key"]` or `['key']`.
enum ReferenceParser {
    static func parse(_ text: String) -> Result<Reference, ReferenceError> {
        if Identifier.isValid(text) { return .success(Reference(head: text)) }
        var scanner = Scanner(Array(text.unicodeScalars))
        guard let head = scanner.name() else {
            return .failure(ReferenceError(message: "'\(text)' does not start with a name"))
        }
        var path: [Reference.Accessor] = []
        while let next = scanner.peek {
            if next == "." {
                scanner.advance()
                guard let name = scanner.name() else { return .failure(scanner.error(in: text, "a name after '.'")) }
                path.append(.attribute(name))
            } else if next == "[" {
                scanner.advance()
                guard let accessor = scanner.subscriptAccessor() else {
                    return .failure(scanner.error(in: text, "an integer or a quoted key inside '[...]'"))
                }
                path.append(accessor)
            } else {
                return .failure(scanner.error(in: text, "'.', '[' or the end"))
            }
        }
        return .success(Reference(head: head, path: path))
    }

    private struct Scanner {
        let scalars: [Unicode.Scalar]
        var offset = 0

        init(_ scalars: [Unicode.Scalar]) { self.scalars = scalars }

        var peek: Unicode.Scalar? { offset < scalars.count ? scalars[offset] : nil }
        mutating func advance() { offset += 1 }

        mutating func name() -> String? {
            let start = offset
            while let c = peek, c == "_" || ("0"..."9").contains(c) || ("a"..."z").contains(c) || ("A"..."Z").contains(c) {
                advance()
            }
            let text = String(String.UnicodeScalarView(scalars[start..<offset]))
            return text.first.map { !$0.isNumber } == true ? text : nil
        }

        mutating func subscriptAccessor() -> Reference.Accessor? {
            let accessor: Reference.Accessor
            if let quote = peek, quote == "\"" || quote == "'" {
                advance()
                let start = offset
                while let c = peek, c != quote { advance() }
                guard peek == quote else { return nil }
                accessor = .key(String(String.UnicodeScalarView(scalars[start..<offset])))
                advance()
            } else {
                let start = offset
                if peek == "-" { advance() }
                while let c = peek, ("0"..."9").contains(c) { advance() }
                guard let index = Int(String(String.UnicodeScalarView(scalars[start..<offset]))) else { return nil }
                accessor = .index(index)
            }
            guard peek == "]" else { return nil }
            advance()
            return accessor
        }

        func error(in text: String, _ expected: String) -> ReferenceError {
            ReferenceError(message: "'\(text)' is not a valid reference: expected \(expected) at character \(offset + 1)")
        }
    }
}

struct ReferenceError: Error {
    let message: String
}
