import FlowBasics
import FlowSpec

/// A run starts at the first step and ends at the one step with neither `next` nor `switch`
/// (FS0305); every step is reachable from the first (FS0303) and reaches the last (FS0304).
/// A successor that could not be read, or names no step (FS0301), makes these unknowable:
/// the rule then stays silent rather than echo that error.
enum ReachabilityRule {
    static func check(_ graph: StepGraph) -> [Diagnostic] {
        guard !graph.spec.steps.contains(where: \.hasUnreadSuccessors), graph.reading.unknownTargets.isEmpty else { return [] }
        let steps = graph.declarations
        guard let first = steps.first else { return [] }
        var findings = steps.indices.filter { !graph.isReachable($0) }.map {
            Diagnostic.unreachable(steps[$0], first: first.name.value)
        }
        let lastSteps = steps.filter(\.isLast)
        guard let last = lastSteps.last else {
            return findings + [.noLastStep(at: steps[steps.count - 1])]
        }
        for extra in lastSteps.dropLast() where graph.isReachable(extra.name.value) {
            findings.append(.secondLastStep(extra, last: last.name.value))
        }
        let finishing = stepsReaching(steps.indices.filter { steps[$0].isLast }, graph: graph)
        for id in steps.indices where graph.isReachable(id) && !finishing[id] {
            findings.append(.deadEnd(steps[id], last: lastSteps.count == 1 ? last.name.value : nil))
        }
        return findings
    }

    /// By step id: whether the step has a path to one of `targets`, loops and cycles included.
    private static func stepsReaching(_ targets: [StepID], graph: StepGraph) -> [Bool] {
        let parents = Adjacency(rows: graph.stepCount, pairs: graph.ends.map { ($0.to, $0.from) })
        var found = Array(repeating: false, count: graph.stepCount)
        for target in targets { found[target] = true }
        var pending = targets
        while let step = pending.popLast() {
            for parent in parents[step] where !found[parent] {
                found[parent] = true
                pending.append(parent)
            }
        }
        return found
    }
}

// MARK: - Messages

extension Diagnostic {
    fileprivate static func unreachable(_ step: Step, first: String) -> Diagnostic {
        let name = step.name.value
        return Diagnostic(
            .unreachableStep, at: step.name.span,
            "step '\(name)' is never reached from the first step '\(first)'",
            hint: "list '\(name)' in the 'next' or 'switch' of an earlier step, or remove it")
    }

    fileprivate static func noLastStep(at step: Step) -> Diagnostic {
        Diagnostic(
            .lastStepCount, at: step.name.span,
            "no step ends the run: every step has 'next' or 'switch'",
            hint: "remove 'next' from the step that should end the run, usually '\(step.name.value)'")
    }

    fileprivate static func secondLastStep(_ step: Step, last: String) -> Diagnostic {
        let name = step.name.value
        return Diagnostic(
            .lastStepCount, at: step.name.span,
            "step '\(name)' has neither 'next' nor 'switch', so the run would end there as well as at '\(last)'",
            hint: "give '\(name)' a 'next'; a flow has exactly one last step")
    }

    fileprivate static func deadEnd(_ step: Step, last: String?) -> Diagnostic {
        let name = step.name.value
        guard let last else {
            return Diagnostic(
                .deadEnd, at: step.name.span, "step '\(name)' never reaches a last step",
                hint: "lead '\(name)' or a step after it to the last step")
        }
        return Diagnostic(
            .deadEnd, at: step.name.span, "step '\(name)' never reaches the last step '\(last)'",
            hint: "lead '\(name)' or a step after it to '\(last)'")
    }
}
