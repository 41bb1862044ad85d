import FlowBasics
import FlowSpec

/// Where a reference is written, and what a step there can see.
struct ReferenceSite {
    enum Place {
        /// `args`, binding this parameter.
        case argument(String)
        case foreach
        case switchOn
    }

    var place: Place
    var step: Step
    var scope: ArtifactScope
    /// The foreach steps that enclose the reference, outermost first.
    var foreaches: [String]

    var stepName: String { step.name.value }

    /// How a message starts: "step 'per_genre' iterates over".
    var phrase: String {
        switch place {
        case .argument(let parameter): "argument '\(parameter)' of step '\(stepName)' refers to"
        case .foreach: "step '\(stepName)' iterates over"
        case .switchOn: "step '\(stepName)' switches on"
        }
    }

    /// Which code an unknown artifact gets here.
    var unknownCode: DiagnosticCode {
        switch place {
        case .argument: .unknownArgsArtifact
        case .foreach: .unknownForeachArtifact
        case .switchOn: .unknownSwitchArtifact
        }
    }

    /// "which no earlier step produces" (a switch may also read its own step's outputs).
    var nothingProduces: String {
        if case .switchOn = place { return "which neither '\(stepName)' nor an earlier step produces" }
        return "which no earlier step produces"
    }
}
