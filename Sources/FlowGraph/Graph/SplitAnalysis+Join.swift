import FlowBasics
import FlowSpec

/// A `join: true` step closes the innermost open branch or foreach. After switch frames that
/// converge at the join are popped, its incoming stacks must agree on everything below the top
/// frame (FS0308); the top must be a branch or a foreach (FS0307, unless the join is where a
/// switch's cases converge); a branch join must be reached by every branch of its split (FS0313).
extension SplitAnalysis {
    /// Checks a join and returns its stack: what stays open after it.
    mutating func join(_ step: Step, arrivals: [Arrival], closesSwitch: Bool, graph: StepGraph) -> [SplitFrame] {
        let stacks = arrivals.map(\.stack)
        guard let first = stacks.first else {
            findings.append(.joinWithoutParent(step))
            return []
        }
        if stacks.count == 1, first.last?.needsJoin != true {
            if !closesSwitch {
                findings.append(.joinClosesNothing(step, inside: first.last))
            }
            return first
        }
        let below = first.dropLast()
        guard let top = first.last, stacks.allSatisfy({ stack in
            stack.last.map { $0.isSameSplit(as: top) && stack.dropLast() == below } ?? false
        }) else {
            let shared = commonPrefix(stacks)
            var splits: [SplitFrame] = []
            for depth in shared.count..<(stacks.map(\.count).max() ?? 0) {
                for stack in stacks where depth < stack.count {
                    let split = stack[depth].split
                    if !splits.contains(split) { splits.append(split) }
                }
            }
            reported.formUnion(splits.map(\.step))
            findings.append(.crossingSplits(step, splits: splits, graph: graph))
            return shared
        }
        switch top {
        case .foreach(let opener):
            closes[step.name.value] = .foreach(step: opener)
        case .branch(let opener, _):
            closeBranches(of: opener, at: step, arrivals: arrivals, graph: graph)
        case .switch:
            break
        }
        return Array(below)
    }

    /// A join of the branches opened at `opener`: every branch must reach it (FS0313).
    private mutating func closeBranches(of opener: String, at step: Step, arrivals: [Arrival], graph: StepGraph) {
        let branches = arrivals.compactMap { arrival -> BranchArrival? in
            guard case .branch(_, let index) = arrival.stack.last else { return nil }
            return BranchArrival(index: index, parents: arrival.parents)
        }
        let arrived = Set(branches.map(\.index))
        for edge in (graph.id(opener).map(graph.outgoing) ?? []).map({ graph.edges[$0] }) {
            guard case .branch(let index) = edge.kind, !arrived.contains(index) else { continue }
            reported.insert(opener)
            findings.append(.branchMissesJoin(edge, join: step))
        }
        closes[step.name.value] = .branch(step: opener, arrivals: branches)
    }
}

// MARK: - Messages

extension Diagnostic {
    fileprivate static func joinWithoutParent(_ step: Step) -> Diagnostic {
        let name = step.name.value
        return Diagnostic(
            .joinClosesNothing, at: step.join ?? step.name.span,
            "step '\(name)' has 'join: true' but no parent, so it closes nothing",
            hint: "remove 'join: true' from '\(name)'")
    }

    fileprivate static func joinClosesNothing(_ step: Step, inside open: SplitFrame?) -> Diagnostic {
        let name = step.name.value
        let hint = open.map { "remove 'join: true' from '\(name)'; the cases of \($0.phrase) converge without a join" }
        return Diagnostic(
            .joinClosesNothing, at: step.join ?? step.name.span,
            "step '\(name)' has 'join: true' but no branch or foreach is open before it",
            hint: hint ?? "remove 'join: true' from '\(name)'")
    }

    fileprivate static func crossingSplits(_ step: Step, splits: [SplitFrame], graph: StepGraph) -> Diagnostic {
        let name = step.name.value
        let notes = splits.compactMap { split in
            graph.step(split.step).map { DiagnosticNote("\(split.phrase) opens here", at: split.span(in: $0)) }
        }
        let inner = splits.last.map { "close \($0.phrase) with a join of its own before '\(name)'" }
        return Diagnostic(
            .crossingSplits, at: step.join ?? step.name.span,
            "join '\(name)' merges paths from splits that are not properly nested: "
                + splits.map(\.phrase).joined(separator: ", "),
            hint: (inner.map { $0 + "; " } ?? "") + "splits must nest like parentheses",
            notes: notes)
    }

    fileprivate static func branchMissesJoin(_ edge: GraphEdge, join: Step) -> Diagnostic {
        let name = join.name.value
        return Diagnostic(
            .branchMissesJoin, at: edge.span,
            "branch '\(edge.to)' of the split at '\(edge.from)' never reaches its join '\(name)'",
            hint: "lead branch '\(edge.to)' to '\(name)': a join's parents are the last steps of every branch",
            notes: [DiagnosticNote("'\(name)' joins the other branches of '\(edge.from)' here", at: join.join)])
    }
}
