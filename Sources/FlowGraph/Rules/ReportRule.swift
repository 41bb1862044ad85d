import FlowBasics
import FlowSpec

/// Each name in a step's `report` must be one of the artifacts that step stores (FS0211): one of
/// its outputs or its `catch` name. A step with `outputs: "*"` stores names known only at run
/// time, so any name may be one; a step without `run` stores nothing.
enum ReportRule {
    static func check(_ graph: StepGraph) -> [Diagnostic] {
        graph.spec.steps.flatMap { step -> [Diagnostic] in
            guard !step.report.isEmpty else { return [] }
            if step.run != nil, case .mapping = step.outputShape { return [] }
            let stored = step.run == nil ? [] : step.outputShape.names + (graph.catchName(of: step).map { [$0.value] } ?? [])
            return step.report.filter { !stored.contains($0.value) }.map { .notStored($0, by: step, stored: stored) }
        }
    }
}

// MARK: - Messages

extension Diagnostic {
    fileprivate static func notStored(_ name: Located<String>, by step: Step, stored: [String]) -> Diagnostic {
        let stepName = step.name.value
        let hint = step.run == nil
            ? "step '\(stepName)' has no 'run', so it stores nothing to show; name artifacts of the step that makes them"
            : NearestNames.hint(for: name.value, among: stored)
                ?? "the step stores \(stored.map { "'\($0)'" }.joined(separator: ", ")); name one of its artifacts, or add the name to 'outputs'"
        return Diagnostic(.unknownReportArtifact, at: name.span,
                          "step '\(stepName)' reports '\(name.value)', which is not one of its artifacts", hint: hint)
    }
}
