import FlowBasics
import FlowSpec

/// Builds a `Spec` in Swift, as a loader would, with a distinct span for every value.
///
/// Step `i` (0-based) starts on line `100 * (i + 1)`; each key has a line of its own below it,
/// so a finding's span tells exactly which value it points at:
///
/// | value | line | column |
/// |---|---|---|
/// | step name | +0 | 3 |
/// | `join` | +1 | 11 |
/// | `foreach` | +2 | 14 |
/// | `run` | +3 | 10 |
/// | `outputs` (each unpacked name: 15 + 10 n) | +4 | 14 |
/// | `next` entry n | +5 | 11 + 10 n |
/// | `switch` key / `on` | +6 | 5 / 15 |
/// | case n | +10 + n | 20 |
/// | `default` | +9 | 16 |
/// | `max_iterations` | +7 | 21 |
/// | `catch` | +8 | 12 |
/// | arg n | +50 + n | 20 |
struct SpecBuilder {
    private(set) var spec = Spec(file: "flow.yaml")

    init(params: [String] = []) {
        spec.name = Located("Flow", at: Self.span(line: 2, column: 7, length: 4))
        spec.params = params.enumerated().map { index, name in
            Param(name: Located(name, at: Self.span(line: 5 + index, column: 3, length: name.count)))
        }
    }

    /// Adds a step (arguments in the table's order). `outputs`: `"x"`, `"[a, b]"` or `"*"`; `args`: parameter → reference text;
    /// `cases`: case value → target.
    @discardableResult
    mutating func step(
        _ name: String, join: Bool = false, foreach: String? = nil, run: Bool = true,
        outputs: String? = nil, next: [String] = [], args: KeyValuePairs<String, String> = [:],
        switchOn: String? = nil, cases: KeyValuePairs<String, String> = [:], default defaultTarget: String? = nil,
        maxIterations: Int? = nil, catchName: String? = nil
    ) -> SpecBuilder {
        let line = 100 * (spec.steps.count + 1)
        var step = Step(name: Located(name, at: Self.span(line: line, column: 3, length: name.count)))
        if join { step.join = Self.span(line: line + 1, column: 11, length: 4) }
        if let foreach { step.foreach = Self.reference(foreach, line: line + 2, column: 14) }
        if run {
            let target = RunTarget(source: .file("flow.py"), function: name)
            step.run = Located(target, at: Self.span(line: line + 3, column: 10, length: 7 + 1 + name.count))
        }
        if let outputs { step.outputs = Self.outputs(outputs, line: line + 4) }
        step.next = next.enumerated().map { index, target in
            Located(target, at: Self.span(line: line + 5, column: 11 + 10 * index, length: target.count))
        }
        if switchOn != nil || !cases.isEmpty || defaultTarget != nil {
            var choice = Switch(span: Self.span(line: line + 6, column: 5, length: 6))
            choice.on = switchOn.map { Self.reference($0, line: line + 6, column: 15) }
            choice.cases = cases.enumerated().map { index, entry in
                let value = Node(.string(entry.key), span: Self.span(line: line + 10 + index, column: 7, length: entry.key.count), scalarText: entry.key)
                return Switch.Case(value: value, target: Located(entry.value, at: Self.span(line: line + 10 + index, column: 20, length: entry.value.count)))
            }
            choice.defaultTarget = defaultTarget.map { Located($0, at: Self.span(line: line + 9, column: 16, length: $0.count)) }
            step.switchOn = choice
        }
        if let maxIterations {
            step.settings.maxIterations = Located(maxIterations, at: Self.span(line: line + 7, column: 21, length: 1))
        }
        if let catchName { step.settings.catchName = Located(catchName, at: Self.span(line: line + 8, column: 12, length: catchName.count)) }
        step.args = args.enumerated().map { index, entry in
            ArgBinding(
                parameter: Located(entry.key, at: Self.span(line: line + 50 + index, column: 7, length: entry.key.count)),
                reference: Self.reference(entry.value, line: line + 50 + index, column: 20))
        }
        spec.steps.append(step)
        return self
    }

    // MARK: Spans of what was built, for expectations

    func stepNamed(_ name: String) -> Step {
        guard let step = spec.step(named: name) else { fatalError("no step '\(name)' in the test spec") }
        return step
    }

    func name(_ step: String) -> SourceSpan { stepNamed(step).name.span }
    func join(_ step: String) -> SourceSpan { stepNamed(step).join! }
    func foreach(_ step: String) -> SourceSpan { stepNamed(step).foreach!.span }
    func next(_ step: String, _ index: Int = 0) -> SourceSpan { stepNamed(step).next[index].span }
    func on(_ step: String) -> SourceSpan { stepNamed(step).switchOn!.on!.span }
    func switchCase(_ step: String, _ index: Int) -> SourceSpan { stepNamed(step).switchOn!.cases[index].target.span }
    func defaultTarget(_ step: String) -> SourceSpan { stepNamed(step).switchOn!.defaultTarget!.span }
    func maxIterations(_ step: String) -> SourceSpan { stepNamed(step).settings.maxIterations!.span }
    func catchName(_ step: String) -> SourceSpan { stepNamed(step).settings.catchName!.span }
    func outputs(_ step: String) -> SourceSpan { stepNamed(step).outputs!.span }
    func arg(_ step: String, _ parameter: String) -> SourceSpan {
        stepNamed(step).args.first { $0.parameter.value == parameter }!.reference.span
    }

    // MARK: Values

    static func span(line: Int, column: Int, length: Int) -> SourceSpan {
        SourceSpan(
            file: "flow.yaml", start: SourcePosition(line: line, column: column),
            end: SourcePosition(line: line, column: column + length))
    }

    private static func outputs(_ text: String, line: Int) -> Located<Outputs> {
        let span = span(line: line, column: 14, length: text.count)
        if text == "*" { return Located(.mapping, at: span) }
        guard text.hasPrefix("[") else { return Located(.single(text), at: span) }
        let names = text.dropFirst().dropLast().split(separator: ",").map { $0.trimmingCharacters(in: " ") }
        return Located(.unpacked(names.enumerated().map { index, name in
            Located(name, at: Self.span(line: line, column: 15 + 10 * index, length: name.count))
        }), at: span)
    }

    /// `a.b[0]["k"]` as a `Reference`.
    static func reference(_ text: String, line: Int, column: Int) -> Located<Reference> {
        var parts: [Reference.Accessor] = []
        var head = ""
        var current = ""
        var index = text.startIndex
        func flush() {
            guard !current.isEmpty else { return }
            if head.isEmpty { head = current } else { parts.append(.attribute(current)) }
            current = ""
        }
        while index < text.endIndex {
            let character = text[index]
            if character == "." {
                flush()
            } else if character == "[" {
                flush()
                let close = text[index...].firstIndex(of: "]")!
                let inside = text[text.index(after: index)..<close]
                if inside.hasPrefix("\"") {
                    parts.append(.key(String(inside.dropFirst().dropLast())))
                } else {
                    parts.append(.index(Int(inside)!))
                }
                index = close
            } else {
                current.append(character)
            }
            index = text.index(after: index)
        }
        flush()
        return Located(Reference(head: head, path: parts), at: span(line: line, column: column, length: text.count))
    }
}

extension StringProtocol {
    fileprivate func trimmingCharacters(in set: Character) -> String {
        String(drop { $0 == set }.reversed().drop { $0 == set }.reversed())
    }
}
