import FlowBasics
import FlowSpec

/// Split nesting, propagated in topological order over the acyclic graph of reachable steps.
///
/// A step whose `next` lists several steps opens a branch: the edge to its i-th child carries
/// `.branch(step, i)`. A foreach step runs inside its own foreach and has exactly one parent
/// (FS0309). A switch with several forward targets pushes `.switch(step)` on its cases; the frame
/// is popped where the cases converge (the switch's immediate post-dominator), so no join is needed
/// there. A join closes the top branch or foreach (see `SplitAnalysis+Join.swift`); any other
/// step whose parents are in different branches or foreaches needs `join: true` (FS0306).
/// A split still open at a last step was never closed (FS0310).
struct SplitAnalysis: Sendable {
    /// What a join step closes; absent for joins that close nothing or closed splits badly. The
    /// one place this is decided: the data flow and the plan read it.
    enum Closed: Sendable {
        /// The branch split opened at `step`: the join's parents on each branch, in the order the
        /// join's incoming edges reach the branches.
        case branch(step: String, arrivals: [BranchArrival])
        case foreach(step: String)

        /// The step that opened the split.
        var opener: String {
            switch self {
            case .branch(let step, _), .foreach(let step): step
            }
        }
    }

    /// The parents of a join on one branch, and the branch's position in the opener's `next`.
    struct BranchArrival: Sendable {
        var index: Int
        var parents: [String]
    }

    /// The stacks that reach a step along its incoming edges, equal ones merged.
    struct Arrival {
        var stack: [SplitFrame]
        var parents: [String]
    }

    /// Each reachable step's split stack by id, outermost first; a foreach step's ends in its own
    /// frame. Empty for unreachable steps.
    private(set) var stacks: [[SplitFrame]] = []
    var closes: [String: Closed] = [:]
    var findings: [Diagnostic] = []
    /// Splits already reported: later comparisons ignore them so one mistake is reported once.
    var reported: Set<String> = []

    init() {}

    init(graph: StepGraph) {
        stacks = Array(repeating: [], count: graph.stepCount)
        let switches = Self.switchesWithSeveralTargets(graph)
        var closingAt = Array(repeating: [String](), count: graph.stepCount)
        for id in graph.orderIDs where switches[id] {
            if let convergence = graph.postDominators.immediate[id] {
                closingAt[convergence].append(graph.name(id))
            }
        }
        for id in graph.orderIDs {
            let step = graph.declarations[id]
            let closing = closingAt[id]
            var popped = false
            var arrivals: [Arrival] = []
            for edge in graph.incoming(id) {
                var stack = self.stack(along: edge, graph: graph, switches: switches)
                let count = stack.count
                if !closing.isEmpty {
                    stack.removeAll { if case .switch(let opener) = $0 { closing.contains(opener) } else { false } }
                }
                popped = popped || stack.count != count
                let parent = graph.edges[edge].from
                if let index = arrivals.firstIndex(where: { $0.stack == stack }) {
                    arrivals[index].parents.append(parent)
                } else {
                    arrivals.append(Arrival(stack: stack, parents: [parent]))
                }
            }
            var stack: [SplitFrame]
            if step.isJoin {
                stack = join(step, arrivals: arrivals, closesSwitch: popped, graph: graph)
            } else if arrivals.count <= 1 {
                stack = arrivals.first?.stack ?? []
            } else {
                stack = mergeWithoutJoin(step, arrivals: arrivals, graph: graph)
            }
            if let foreach = step.foreach {
                checkForeachParents(step, foreach: foreach, graph: graph)
                stack.append(.foreach(step: step.name.value))
            }
            stacks[id] = stack
        }
        reportUnclosedSplits(graph)
    }

    /// The stack edge `index` carries: its parent's, plus the split the parent opens on it.
    private func stack(along index: Int, graph: StepGraph, switches: [Bool]) -> [SplitFrame] {
        let edge = graph.edges[index], from = graph.ends[index].from
        var stack = stacks[from]
        if case .branch(let position) = edge.kind {
            stack.append(.branch(step: edge.from, index: position))
        } else if edge.isSwitch, switches[from] {
            stack.append(.switch(step: edge.from))
        }
        return stack
    }

    /// By step id: whether the step's switch leads forward to more than one step.
    private static func switchesWithSeveralTargets(_ graph: StepGraph) -> [Bool] {
        (0..<graph.stepCount).map { id in
            let targets = graph.outgoing(id).filter { graph.edges[$0].isSwitch }.map { graph.ends[$0].to }
            return targets.contains { $0 != targets[0] }
        }
    }

    /// Parents whose branches and foreaches agree are alternatives of a switch: no join needed.
    private mutating func mergeWithoutJoin(_ step: Step, arrivals: [Arrival], graph: StepGraph) -> [SplitFrame] {
        let splits = arrivals.map { $0.stack.splitsNeedingJoin.filter { !reported.contains($0.step) } }
        let result = arrivals[0].stack.filter { frame in
            frame.needsJoin || arrivals.allSatisfy { $0.stack.contains(frame) }
        }
        if Set(splits).count == 1 { return result }
        let shared = commonPrefix(arrivals.map(\.stack.splitsNeedingJoin))
        for arrival in arrivals {
            for frame in arrival.stack.splitsNeedingJoin.dropFirst(shared.count) {
                reported.insert(frame.step)
            }
        }
        // A foreach step with several parents is reported once, as FS0309.
        if step.foreach == nil {
            findings.append(.missingJoin(step, parents: graph.reachableParents(of: step.name.value),
                                         inner: Self.innerSplits(of: arrivals, below: shared.count)))
        }
        return shared
    }

    /// The splits some parents are inside, nested deeper than the one a join at the step would
    /// close: each needs a join of its own first. With the parents inside each, outermost first.
    private static func innerSplits(of arrivals: [Arrival], below depth: Int) -> [(split: SplitFrame, parents: [String])] {
        var inner: [(split: SplitFrame, parents: [String])] = []
        for arrival in arrivals {
            for frame in arrival.stack.splitsNeedingJoin.dropFirst(depth + 1) {
                if let index = inner.firstIndex(where: { $0.split == frame.split }) {
                    inner[index].parents += arrival.parents.filter { !inner[index].parents.contains($0) }
                } else {
                    inner.append((frame.split, arrival.parents))
                }
            }
        }
        return inner
    }

    private mutating func checkForeachParents(_ step: Step, foreach: Located<Reference>, graph: StepGraph) {
        let parents = graph.reachableParents(of: step.name.value)
        if parents.isEmpty {
            findings.append(.foreachWithoutParent(step, foreach: foreach))
        } else if parents.count > 1, !step.isJoin {
            findings.append(.foreachWithParents(step, foreach: foreach, parents: parents))
        }
    }

    /// A branch or foreach still open at a step where the run ends. Steps that end nowhere for
    /// other reasons (successors that name no step, loops with no way out) are reported apart.
    private mutating func reportUnclosedSplits(_ graph: StepGraph) {
        var ends: [SplitFrame: [String]] = [:]
        var openers: [SplitFrame] = []
        for id in graph.orderIDs where graph.declarations[id].isLast {
            let name = graph.name(id)
            for frame in stacks[id].splitsNeedingJoin where !reported.contains(frame.step) {
                let split = frame.split
                if ends[split] == nil { openers.append(split) }
                if ends[split]?.contains(name) != true { ends[split, default: []].append(name) }
            }
        }
        for split in openers {
            guard let opener = graph.step(split.step) else { continue }
            findings.append(.unclosedSplit(split, opener: opener, ends: ends[split] ?? [], graph: graph))
        }
    }
}

extension SplitFrame {
    /// The split as a whole: branch index dropped.
    var split: SplitFrame {
        if case .branch(let step, _) = self { return .branch(step: step, index: 0) }
        return self
    }

    /// Where a message should point for the split: the `foreach:` value, else the opener's name.
    func span(in opener: Step) -> SourceSpan {
        if case .foreach = self, let foreach = opener.foreach { return foreach.span }
        return opener.name.span
    }

    /// "the branch opened at 'S'": how an unclosed split is named.
    var openedPhrase: String {
        switch self {
        case .branch(let step, _): "the branch opened at '\(step)'"
        case .foreach(let step): "the foreach opened at '\(step)'"
        case .switch(let step): "the switch at '\(step)'"
        }
    }
}

// MARK: - Messages

extension Diagnostic {
    /// The hint names the inner splits that need their own join first: a join at the step
    /// alone would merge splits that are not properly nested (FS0308).
    fileprivate static func missingJoin(_ step: Step, parents: [String], inner: [(split: SplitFrame, parents: [String])]) -> Diagnostic {
        let name = step.name.value
        let first = inner.reversed().map { "close \($0.split.phrase) with a step with 'join: true' after \(quotedList($0.parents))" }
        return Diagnostic(
            .missingJoin, at: step.name.span,
            "step '\(name)' is reached from different branches (\(quotedList(parents))) but is not a join",
            hint: (first + ["\(first.isEmpty ? "add" : "then add") 'join: true' to '\(name)'"]).joined(separator: "; "))
    }

    fileprivate static func foreachWithoutParent(_ step: Step, foreach: Located<Reference>) -> Diagnostic {
        let name = step.name.value
        return Diagnostic(
            .foreachParents, at: foreach.span,
            "foreach step '\(name)' has no parent: the first step cannot fan out",
            hint: "add a first step that produces '\(foreach.value.head)' and leads to '\(name)'")
    }

    fileprivate static func foreachWithParents(_ step: Step, foreach: Located<Reference>, parents: [String]) -> Diagnostic {
        let name = step.name.value
        return Diagnostic(
            .foreachParents, at: foreach.span,
            "foreach step '\(name)' has \(parents.count) parents (\(quotedList(parents))); a foreach step has exactly one",
            hint: "add 'join: true' to '\(name)' to join its parents before it fans out")
    }

    fileprivate static func unclosedSplit(_ split: SplitFrame, opener: Step, ends: [String], graph: StepGraph) -> Diagnostic {
        let notes = ends.compactMap { graph.step($0) }.map {
            DiagnosticNote("the run ends at '\($0.name.value)' inside it", at: $0.name.span)
        }
        return Diagnostic(
            .unclosedSplit, at: split.span(in: opener),
            "\(split.openedPhrase) is never closed by a join",
            hint: closingHint(split, ends: ends, graph: graph),
            notes: notes)
    }

    /// Where a foreach's join goes: before the last step, or, when the last step is the opener
    /// or closes a split of its own, after it.
    private static func closingHint(_ split: SplitFrame, ends: [String], graph: StepGraph) -> String {
        guard case .foreach = split, ends.count == 1, let last = graph.step(ends[0]), last.foreach == nil, !last.isJoin else {
            return "add a step with 'join: true' after \(quotedList(ends))"
        }
        let name = last.name.value
        let parents = graph.reachableParents(of: name)
        return "add a step with 'join: true' between \(quotedList(parents)) and '\(name)', or add 'join: true' to '\(name)'"
    }
}
