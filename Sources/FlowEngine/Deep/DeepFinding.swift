import FlowBasics
import FlowRuntime
import FlowSpec
import WorkerProtocol
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// One finding of a `check` request, as a diagnostic at the step's `run:` value or at the
/// `args`/`with` entry it is about.
public struct DeepFinding {
    public let finding: CheckFinding
    public let step: Step

    public init(_ finding: CheckFinding, step: Step) {
        self.finding = finding
        self.step = step
    }

    public var diagnostic: Diagnostic? {
        guard let run = step.run else { return nil }
        let name = run.value.function
        switch finding.kind {
        case .source:
            return Diagnostic(DiagnosticCode.sourceNotFound, at: run.span, finding.message,
                              hint: "paths are relative to the spec's folder; modules are found on python.path and in the step's environment")
        case .function:
            return Diagnostic(DiagnosticCode.functionNotFound, at: run.span, finding.message,
                              hint: NearestNames.hint(for: name, among: finding.defined ?? []))
        case .parameter:
            let parameter = finding.parameter ?? "?"
            return Diagnostic(DiagnosticCode.parameterUnbound, at: run.span, finding.message,
                              hint: "bind it with 'args: {\(parameter): NAME}' or 'with: {\(parameter): VALUE}', or give it a default in Python",
                              notes: definedAt(name))
        case .unknownParameter:
            let parameter = finding.parameter ?? ""
            let span = step.args.first { $0.parameter.value == parameter }?.parameter.span
                ?? step.with.first { $0.parameter.value == parameter }?.parameter.span ?? run.span
            return Diagnostic(DiagnosticCode.unknownParameter, at: span, finding.message, notes: definedAt(name))
        case .skippedName:
            return Diagnostic(DiagnosticCode.skippedNotebookName, at: run.span, "step '\(step.name.value)': \(finding.message)")
        }
    }

    /// Where the function is defined: a `.py` file's line as a place of its own, a notebook's
    /// cell and line in words.
    private func definedAt(_ name: String) -> [DiagnosticNote] {
        guard let file = finding.file, let line = finding.line else { return [] }
        let shown = Self.relative(file)
        if let cell = finding.cell {
            return [DiagnosticNote("'\(name)' is defined in \(shown), cell \(cell), line \(line)")]
        }
        return [DiagnosticNote("'\(name)' is defined here", at: .point(shown, line: line))]
    }

    /// A path relative to the current folder when it is inside it.
    public static func relative(_ path: String) -> String {
        let here = UserPath.currentFolder
        let prefix = here.hasSuffix("/") ? here : here + "/"
        return path.hasPrefix(prefix) ? String(path.dropFirst(prefix.count)) : path
    }
}
