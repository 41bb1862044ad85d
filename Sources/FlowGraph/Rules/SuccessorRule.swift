import FlowBasics
import FlowSpec

/// Every successor must name a step (FS0301), and a `next` list names each step once (FS0314).
/// Both kinds of entry are dropped from the graph, and the analysis goes on without them.
enum SuccessorRule {
    static func check(_ graph: StepGraph) -> [Diagnostic] {
        let names = graph.spec.steps.map(\.name.value)
        let unknown = graph.reading.unknownTargets.map { target in
            Diagnostic.unknownStep(target, hint: hint(for: target.target.value, among: names))
        }
        let duplicates = graph.reading.duplicates.map(Diagnostic.duplicateSuccessor)
        return unknown + duplicates
    }

    private static func hint(for name: String, among names: [String]) -> String? {
        if let nearest = NearestNames.hint(for: name, among: names) { return nearest }
        guard !names.isEmpty, names.count <= 12 else { return nil }
        return "the steps are \(quotedList(names))"
    }
}

// MARK: - Messages

extension Diagnostic {
    fileprivate static func unknownStep(_ unknown: EdgeReader.UnknownTarget, hint: String?) -> Diagnostic {
        let target = unknown.target.value
        let place: String = switch unknown.kind {
        case .switchCase(let label), .loop(let label): "switch case '\(label)' of step '\(unknown.step)' goes to"
        case .switchDefault: "the switch default of step '\(unknown.step)' goes to"
        case .next, .branch: "step '\(unknown.step)' lists"
        }
        let suffix = unknown.kind.isNext ? " in 'next'" : ""
        return Diagnostic(
            .unknownStep, at: unknown.target.span,
            "\(place) '\(target)'\(suffix), but no step is named '\(target)'",
            hint: hint)
    }

    fileprivate static func duplicateSuccessor(_ duplicate: EdgeReader.Duplicate) -> Diagnostic {
        let target = duplicate.repeated.value
        return Diagnostic(
            .duplicateSuccessor, at: duplicate.repeated.span,
            "step '\(duplicate.step)' lists '\(target)' twice in 'next'",
            hint: "remove the second '\(target)'",
            notes: [DiagnosticNote("'\(target)' is first listed here", at: duplicate.first.span)])
    }
}

extension GraphEdge.Kind {
    var isNext: Bool {
        switch self {
        case .next, .branch: true
        case .switchCase, .switchDefault, .loop: false
        }
    }
}
