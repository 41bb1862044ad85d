import FlowBasics

extension SpecReader {
    mutating func step(_ entry: Node.Entry) -> Step {
        let name = Located(entry.name, at: entry.key.span)
        reader.checkIdentifier(name, "step name")
        var step = Step(name: name)
        // `end:` with nothing after it is a step that only passes artifacts on.
        if case .null = entry.value.value { return step }
        // Built only for a message: most steps have nothing to report.
        func what() -> String { "step '\(name.value)'" }
        guard let entries = reader.mapping(entry.value, what(),
                                           hint: "write '\(name.value): {run: module:function, next: ...}'") else { return step }
        let keys = StepKey.keys(of: entries)
        for (item, key) in zip(entries, keys) where key == nil {
            reader.unknownKey(item, in: what(), allowed: SpecKeys.step)
        }
        for (item, key) in zip(entries, keys) {
            let value = item.value
            switch key {
            case .run?: step.run = runTarget(value)
            case .args?: step.args = args(value, what())
            case .with?: step.with = literals(value, what())
            case .outputs?: step.outputs = outputs(value, what())
            case .next?: step.next = successors(value)
            case .switch?: step.switchOn = switchOn(value, key: item.key, what())
            case .foreach?: step.foreach = reference(value, "'foreach' of \(what())")
            case .join?:
                if reader.bool(value, "'join'") == true { step.join = value.span }
            case .report?: step.report = reported(value, what())
            default: break
            }
        }
        // Most steps take every setting from `defaults`: they keep the empty settings.
        if keys.contains(where: { $0?.isSetting == true }) {
            step.settings = settings(entries, keys: keys, what())
        }
        if keys.contains(.next), let later = keys.firstIndex(of: .switch) {
            reader.report(.conflictingKeys, at: entries[later].key.span, "'next' and 'switch' cannot both be set",
                          hint: "use 'switch' to choose one successor at run time, or 'next' to run all of them")
        }
        checkBoundTwice(step)
        step.hasUnreadSuccessors = zip(entries, keys).contains { entry, key in
            switch key {
            case nil: !NearestNames.to(entry.name, among: ["next", "switch"]).isEmpty
            case .next?: step.next.isEmpty
            case .switch?: step.switchOn == nil
            default: false
            }
        }
        return step
    }

    mutating func checkExclusive(_ entries: [Node.Entry], _ first: String, _ second: String, hint: String) {
        guard entries.contains(where: { $0.name == first }), let later = entries.first(where: { $0.name == second }) else { return }
        reader.report(.conflictingKeys, at: later.key.span, "'\(first)' and '\(second)' cannot both be set", hint: hint)
    }

    private mutating func runTarget(_ node: Node) -> Located<RunTarget>? {
        guard let text = reader.string(node, "'run'") else { return nil }
        switch RunTargetParser.parse(text.value) {
        case .success(let target): return Located(target, at: node.span)
        case .failure(let error):
            reader.report(.invalidRunTarget, at: node.span, error.message, hint: error.hint)
            return nil
        }
    }

    mutating func reference(_ node: Node, _ what: @autoclosure () -> String) -> Located<Reference>? {
        guard let text = reader.string(node, what()) else { return nil }
        switch ReferenceParser.parse(text.value) {
        case .success(let reference): return Located(reference, at: node.span)
        case .failure(let error):
            reader.report(.invalidReference, at: node.span, error.message,
                          hint: "a reference is a name with optional '.attr', '[0]' or '[\"key\"]' after it; put literal values under 'with'")
            return nil
        }
    }

    private mutating func args(_ node: Node, _ what: @autoclosure () -> String) -> [ArgBinding] {
        guard let entries = reader.mapping(node, "'args' of \(what())") else { return [] }
        return entries.compactMapReserved { entry in
            guard let parameter = reader.identifier(entry.key, "parameter name"),
                  let reference = reference(entry.value, "the reference for '\(parameter.value)'") else { return nil }
            return ArgBinding(parameter: parameter, reference: reference)
        }
    }

    private mutating func literals(_ node: Node, _ what: @autoclosure () -> String) -> [LiteralBinding] {
        guard let entries = reader.mapping(node, "'with' of \(what())") else { return [] }
        return entries.compactMap { entry in
            reader.identifier(entry.key, "parameter name").map { LiteralBinding(parameter: $0, value: entry.value) }
        }
    }

    private mutating func checkBoundTwice(_ step: Step) {
        for literal in step.with {
            if let arg = step.args.first(where: { $0.parameter.value == literal.parameter.value }) {
                reader.report(.boundTwice, at: arg.parameter.span,
                              "parameter '\(literal.parameter.value)' of step '\(step.name.value)' is bound by both 'with' and 'args'",
                              hint: "keep one binding", notes: [DiagnosticNote("bound by 'with' here", at: literal.parameter.span)])
            }
        }
    }

    private mutating func outputs(_ node: Node, _ what: @autoclosure () -> String) -> Located<Outputs>? {
        if let text = node.string {
            if text == "*" { return Located(.mapping, at: node.span) }
            return outputName(node, what()).map { Located(.single($0.value), at: node.span) }
        }
        guard let items = node.items else {
            reader.wrongType(node, "'outputs' of \(what())", expected: "a name, a list of names or \"*\"")
            return nil
        }
        if items.isEmpty {
            reader.report(.badOutputName, at: node.span, "'outputs' of \(what()) is an empty list",
                          hint: "remove 'outputs' if the step returns nothing")
            return nil
        }
        var seen: [String: SourceSpan] = [:]
        var names: [Located<String>] = []
        for item in items {
            guard let name = outputName(item, what()) else { continue }
            if let first = seen[name.value] {
                reader.report(.badOutputName, at: name.span, "output '\(name.value)' of \(what()) is listed twice",
                              notes: [DiagnosticNote("first listed here", at: first)])
                continue
            }
            seen[name.value] = name.span
            names.append(name)
        }
        return Located(.unpacked(names), at: node.span)
    }

    private mutating func outputName(_ node: Node, _ what: @autoclosure () -> String) -> Located<String>? {
        guard let name = reader.identifier(node, "output name") else { return nil }
        if SpecKeys.reservedNames.contains(name.value) {
            reader.report(.badOutputName, at: name.span, "'\(name.value)' cannot be an output of \(what()): the name is reserved",
                          hint: "\(quotedList(SpecKeys.reservedNames)) have a meaning in references; choose another name")
            return nil
        }
        return name
    }

    /// `report: [NAME, …]`; a name written twice counts once.
    private mutating func reported(_ node: Node, _ what: @autoclosure () -> String) -> [Located<String>] {
        guard let items = reader.list(node, "'report' of \(what())", allowSingle: false) else { return [] }
        if items.isEmpty {
            reader.report(.wrongType, at: node.span, "'report' of \(what()) is an empty list",
                          hint: "name the step's artifacts to show first, or remove 'report'")
        }
        var names: [Located<String>] = []
        for item in items {
            guard let name = reader.identifier(item, "an artifact name in 'report'") else { continue }
            if !names.contains(where: { $0.value == name.value }) { names.append(name) }
        }
        return names
    }

    private mutating func successors(_ node: Node) -> [Located<String>] {
        // Most steps name one successor: read it without making a one-item list of it first.
        if node.items == nil, node.entries == nil {
            return reader.string(node, "a step in 'next'").map { [$0] } ?? []
        }
        guard let items = reader.list(node, "'next'", allowSingle: true) else { return [] }
        if items.isEmpty {
            reader.report(.wrongType, at: node.span, "'next' is an empty list", hint: "name the step that follows, or remove 'next' on the last step")
        }
        return items.compactMapReserved { reader.string($0, "a step in 'next'") }
    }

    private mutating func switchOn(_ node: Node, key: Node, _ what: @autoclosure () -> String) -> Switch? {
        var result = Switch(span: key.span)
        guard let entries = reader.mapping(node, "'switch' of \(what())", allowed: SpecKeys.switchKeys,
                                           hint: "write 'switch: {on: ARTIFACT, cases: {VALUE: STEP}}'") else { return nil }
        if let on = node["on"] { result.on = reference(on, "'switch.on'") }
        if let cases = node["cases"], let caseEntries = reader.mapping(cases, "'switch.cases'") {
            if caseEntries.isEmpty {
                reader.report(.wrongType, at: cases.span, "'switch.cases' of \(what()) is empty", hint: "map each value to the step it leads to")
            }
            result.cases = caseEntries.compactMap { entry in
                reader.string(entry.value, "a switch case's step").map { Switch.Case(value: entry.key, target: $0) }
            }
        }
        if let fallback = node["default"] { result.defaultTarget = reader.string(fallback, "'switch.default'") }
        requireKeys(["on": "on: ARTIFACT", "cases": "cases: {VALUE: STEP}"], in: entries, of: node, what: "the switch of \(what())")
        return result
    }
}
