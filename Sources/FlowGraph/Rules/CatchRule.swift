import FlowBasics
import FlowSpec

/// A step's `catch` name must not also be one of its outputs (FS0210): after a failure the
/// outputs are `None` and the catch name holds the error, so one name cannot hold both.
enum CatchRule {
    static func check(_ graph: StepGraph) -> [Diagnostic] {
        graph.spec.steps.compactMap { step in
            guard let catchName = graph.catchName(of: step), let outputs = step.outputs,
                step.outputShape.names.contains(catchName.value)
            else { return nil }
            return .catchShadowsOutput(step, catchName: catchName, outputs: outputs)
        }
    }
}

// MARK: - Messages

extension Diagnostic {
    fileprivate static func catchShadowsOutput(_ step: Step, catchName: Located<String>, outputs: Located<Outputs>) -> Diagnostic {
        let name = catchName.value
        var outputSpan = outputs.span
        if case .unpacked(let names) = outputs.value, let located = names.first(where: { $0.value == name }) {
            outputSpan = located.span
        }
        return Diagnostic(
            .catchShadowsOutput, at: catchName.span,
            "step '\(step.name.value)' catches errors into '\(name)', which is also one of its outputs",
            hint: "give 'catch' another name, such as '\(name)_error'",
            notes: [DiagnosticNote("'\(name)' is an output here", at: outputSpan)])
    }
}
