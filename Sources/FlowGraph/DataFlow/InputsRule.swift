import FlowBasics
import FlowSpec

/// `inputs` in a join: `inputs.NAME` must be produced on every incoming branch (FS0209);
/// `inputs.STEP.NAME` is for a static branch's join, where STEP must be one of its parents and
/// produce NAME (FS0208, FS0209). A join that closes nothing has already been reported, so its
/// `inputs` are not checked further.
enum InputsRule {
    static func check(_ reference: Located<Reference>, at site: ReferenceSite, graph: StepGraph, flow: DataFlow) -> [Diagnostic] {
        guard let closed = graph.splits.closes[site.stepName],
            case .attribute(let first)? = reference.value.path.first
        else { return [] }
        var second: String?
        if reference.value.path.count > 1, case .attribute(let name) = reference.value.path[1] { second = name }

        let branches: [[String]]
        switch closed {
        case .branch(_, let arrivals): branches = arrivals.map(\.parents)
        case .foreach: branches = [graph.reachableParents(of: site.stepName)]
        }
        let scopes = { (parents: [String]) in parents.compactMap { flow.after($0, in: graph) } }
        let producedSomewhere = branches.contains { scopes($0).contains { $0[first] != nil } }

        if let second, !producedSomewhere {
            switch closed {
            case .foreach(let opener) where graph.step(first) != nil:
                return [.noNamedBranches(reference, foreach: opener, name: second, at: site)]
            case .branch(_, let arrivals):
                let parents = arrivals.flatMap(\.parents)
                if parents.contains(first) {
                    guard let scope = flow.after(first, in: graph), scope[second] == nil, !scope.isOpaque else { return [] }
                    return [.missingOnBranch(reference, branch: first, name: second, at: site,
                                             hint: NearestNames.hint(for: second, among: scope.names))]
                }
                if graph.step(first) != nil || !NearestNames.to(first, among: parents).isEmpty {
                    return [.notAJoinedBranch(reference, step: first, parents: parents, at: site)]
                }
            default:
                break
            }
        }
        let missing = branches.filter { parents in
            !scopes(parents).contains { $0[first] != nil || $0.isOpaque }
        }
        guard !missing.isEmpty else { return [] }
        if missing.count == branches.count {
            let names = Set(branches.flatMap { scopes($0).flatMap(\.names) })
            return [.producedOnNoBranch(reference, name: first, at: site, hint: NearestNames.hint(for: first, among: names))]
        }
        return [.missingOnBranches(reference, name: first, ends: missing.compactMap(\.first), at: site)]
    }
}

// MARK: - Messages

extension Diagnostic {
    fileprivate static func missingOnBranches(_ reference: Located<Reference>, name: String, ends: [String], at site: ReferenceSite) -> Diagnostic {
        let branches = ends.count == 1 ? "the branch ending at \(quotedList(ends)) does" : "the branches ending at \(quotedList(ends)) do"
        return Diagnostic(
            .missingOnSomeBranch, at: reference.span,
            "\(site.phrase) '\(reference.value)', but \(branches) not produce '\(name)'",
            hint: "produce '\(name)' on every branch, or read 'inputs.STEP.\(name)' from a branch that has it")
    }

    fileprivate static func producedOnNoBranch(_ reference: Located<Reference>, name: String, at site: ReferenceSite, hint: String?) -> Diagnostic {
        Diagnostic(
            .missingOnSomeBranch, at: reference.span,
            "\(site.phrase) '\(reference.value)', but no branch joined at '\(site.stepName)' produces '\(name)'",
            hint: hint)
    }

    fileprivate static func missingOnBranch(_ reference: Located<Reference>, branch: String, name: String, at site: ReferenceSite, hint: String?) -> Diagnostic {
        Diagnostic(
            .missingOnSomeBranch, at: reference.span,
            "\(site.phrase) '\(reference.value)', but the branch ending at '\(branch)' does not produce '\(name)'",
            hint: hint)
    }

    fileprivate static func notAJoinedBranch(_ reference: Located<Reference>, step: String, parents: [String], at site: ReferenceSite) -> Diagnostic {
        let hint = NearestNames.hint(for: step, among: parents) ?? "the joined branches end at \(quotedList(parents))"
        return Diagnostic(
            .notAJoinedBranch, at: reference.span,
            "\(site.phrase) '\(reference.value)', but '\(step)' is not a branch joined at '\(site.stepName)'",
            hint: hint)
    }

    fileprivate static func noNamedBranches(_ reference: Located<Reference>, foreach: String, name: String, at site: ReferenceSite) -> Diagnostic {
        Diagnostic(
            .notAJoinedBranch, at: reference.span,
            "\(site.phrase) '\(reference.value)', but '\(site.stepName)' joins the tasks of the foreach at '\(foreach)', which have no step names",
            hint: "use 'inputs.\(name)'")
    }
}
