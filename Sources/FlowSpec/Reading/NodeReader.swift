import FlowBasics

/// Typed reading of located nodes that collects a finding for every value of the wrong
/// shape instead of stopping at the first. Descriptions of what is being read (`what`) and
/// hints are built only when there is something to report.
struct NodeReader {
    typealias Text = () -> String

    var diagnostics: [Diagnostic] = []

    mutating func report(_ code: DiagnosticCode, at span: SourceSpan, _ message: String,
                         hint: String? = nil, notes: [DiagnosticNote] = []) {
        diagnostics.append(Diagnostic(code, at: span, message, hint: hint, notes: notes))
    }

    mutating func wrongType(_ node: Node, _ what: @autoclosure Text, expected: String, hint: @autoclosure () -> String? = nil) {
        report(.wrongType, at: node.span, "\(what()) must be \(expected), not \(node.kindDescription)", hint: hint())
    }

    /// The entries of a mapping, reporting keys outside `allowed` with a did-you-mean hint.
    mutating func mapping(_ node: Node, _ what: @autoclosure Text, allowed: [String]? = nil,
                          hint: @autoclosure () -> String? = nil) -> [Node.Entry]? {
        guard let entries = node.entries else {
            wrongType(node, what(), expected: "a mapping", hint: hint())
            return nil
        }
        if let allowed {
            for entry in entries where !allowed.contains(entry.name) {
                unknownKey(entry, in: what(), allowed: allowed)
            }
        }
        return entries
    }

    mutating func unknownKey(_ entry: Node.Entry, in what: String, allowed: [String]) {
        let hint = entry.name == "<<"
            ? "YAML merge keys are not part of YAML 1.2; use the top-level 'defaults' for shared step settings"
            : NearestNames.hint(for: entry.name, among: allowed) ?? "valid keys are \(quotedList(allowed, conjunction: "or"))"
        report(.unknownKey, at: entry.key.span, "unknown key '\(entry.name)' in \(what)", hint: hint)
    }

    mutating func string(_ node: Node, _ what: @autoclosure Text) -> Located<String>? {
        guard let text = node.string else {
            wrongType(node, what(), expected: "a string")
            return nil
        }
        return Located(text, at: node.span)
    }

    /// A string, number or boolean written as text: for environment variable values.
    mutating func scalarText(_ node: Node, _ what: @autoclosure Text) -> Located<String>? {
        switch node.value {
        case .string, .int, .float, .bool: return Located(node.scalarText ?? "", at: node.span)
        default:
            wrongType(node, what(), expected: "a string")
            return nil
        }
    }

    mutating func identifier(_ node: Node, _ what: @autoclosure Text) -> Located<String>? {
        guard let name = string(node, what()) else { return nil }
        return checkIdentifier(name, what()) ? name : nil
    }

    @discardableResult
    mutating func checkIdentifier(_ name: Located<String>, _ what: @autoclosure Text) -> Bool {
        guard NameBytes.isIdentifier(name.value) else {
            let suggestion = name.value.map { $0.isLetter || $0.isNumber ? $0 : "_" }
            let fixed = String(suggestion.first?.isNumber == true ? ["_"] + suggestion : suggestion)
            report(.invalidName, at: name.span, "\(what()) '\(name.value)' is not a valid name",
                   hint: "names use letters, digits and '_' and do not start with a digit, e.g. '\(fixed)'")
            return false
        }
        return true
    }

    mutating func bool(_ node: Node, _ what: @autoclosure Text) -> Bool? {
        guard case .bool(let value) = node.value else {
            let yaml11 = node.string.map { ["yes", "no", "on", "off"].contains($0.lowercased()) } == true
            wrongType(node, what(), expected: "true or false",
                      hint: yaml11 ? "YAML 1.2 reads '\(node.scalarText ?? "")' as a string; write true or false" : nil)
            return nil
        }
        return value
    }

    mutating func integer(_ node: Node, _ what: @autoclosure Text, atLeast minimum: Int) -> Located<Int>? {
        guard case .int(let value) = node.value else {
            wrongType(node, what(), expected: "a whole number")
            return nil
        }
        guard value >= minimum else {
            report(.outOfRange, at: node.span, "\(what()) must be at least \(minimum), not \(value)")
            return nil
        }
        return Located(value, at: node.span)
    }

    mutating func number(_ node: Node, _ what: @autoclosure Text, above minimum: Double) -> Double? {
        let value: Double
        switch node.value {
        case .int(let integer): value = Double(integer)
        case .float(let float): value = float
        default:
            wrongType(node, what(), expected: "a number")
            return nil
        }
        guard value > minimum, value.isFinite else {
            report(.outOfRange, at: node.span, "\(what()) must be more than \(minimum.formatted), not \(node.scalarText ?? "\(value)")")
            return nil
        }
        return value
    }

    mutating func duration(_ node: Node, _ what: @autoclosure Text) -> Located<FlowBasics.Duration>? {
        let text = node.scalarText ?? ""
        guard case .string = node.value, let duration = FlowBasics.Duration(parsing: text) else {
            let hint = node.items == nil && node.entries == nil && Double(text) != nil
                ? "add a unit: '\(text)s', '\(text)m' or '\(text)h'"
                : "write a number and a unit: '100ms', '90s', '10m', '2h' or '1d'"
            report(.invalidDuration, at: node.span, "\(what()) '\(text)' is not a duration", hint: hint)
            return nil
        }
        return Located(duration, at: node.span)
    }

    /// Each item of a list, or of a single value standing for a one-item list.
    mutating func list(_ node: Node, _ what: @autoclosure Text, allowSingle: Bool) -> [Node]? {
        if let items = node.items { return items }
        if allowSingle, node.entries == nil { return [node] }
        wrongType(node, what(), expected: allowSingle ? "a name or a list" : "a list")
        return nil
    }
}

extension Double {
    /// `2` rather than `2.0` for whole numbers in messages.
    var formatted: String { rounded() == self && abs(self) < 1e15 ? String(Int(self)) : String(self) }
}

extension Collection {
    /// `compactMap` that reserves room for every element first: readers keep nearly all of
    /// them, and growing the result from empty cost about as much as reading the values.
    func compactMapReserved<T>(_ transform: (Element) throws -> T?) rethrows -> [T] {
        var result: [T] = []
        result.reserveCapacity(count)
        for element in self {
            if let value = try transform(element) { result.append(value) }
        }
        return result
    }
}
