import FlowBasics
import FlowSpec

/// Every reference in `args`, `foreach` and `switch.on` must name something the step can see.
///
/// - `item` and `index` need an enclosing foreach (FS0204); `STEP.item` and `STEP.index` need
///   `STEP` to be one of the enclosing foreach steps (FS0206). A foreach step with `run` and no
///   `outputs` also produces an artifact of its name: inside its foreach `STEP.item` is the item,
///   outside it an attribute of that artifact if it is visible and unmerged.
/// - `inputs` is only for a join (FS0205); its forms are checked by `InputsRule`.
/// - Any other head is an artifact produced by an ancestor or a param (FS0201 in `args`, FS0202 in
///   `switch.on`, FS0203 in `foreach`), not one that differs between branches merged by an
///   earlier join (FS0207). Nothing is reported unknown after an `outputs: "*"` step.
///
/// A foreach expression is read before the step fans out; `switch.on` also sees the step's own
/// outputs.
enum ReferenceRule {
    static func check(_ graph: StepGraph, flow: DataFlow) -> [Diagnostic] {
        var findings: [Diagnostic] = []
        for id in graph.orderIDs {
            guard let before = flow.before[id], let after = flow.after[id] else { continue }
            let step = graph.declarations[id]
            let foreaches = graph.splits.stacks[id].compactMap { frame -> String? in
                if case .foreach(let opener) = frame { opener } else { nil }
            }
            if let foreach = step.foreach {
                let site = ReferenceSite(place: .foreach, step: step, scope: before, foreaches: foreaches.dropLast())
                findings += check(foreach, at: site, graph: graph, flow: flow)
            }
            for binding in step.args {
                let site = ReferenceSite(
                    place: .argument(binding.parameter.value), step: step, scope: before, foreaches: foreaches)
                findings += check(binding.reference, at: site, graph: graph, flow: flow)
            }
            if let on = step.switchOn?.on {
                let site = ReferenceSite(place: .switchOn, step: step, scope: after, foreaches: foreaches)
                findings += check(on, at: site, graph: graph, flow: flow)
            }
        }
        return findings
    }

    static func check(_ reference: Located<Reference>, at site: ReferenceSite, graph: StepGraph, flow: DataFlow) -> [Diagnostic] {
        let head = reference.value.head
        let visible = site.scope[head]
        if visible == nil, head == "item" || head == "index" {
            return site.foreaches.isEmpty ? [.outsideForeach(reference, at: site, graph: graph)] : []
        }
        if visible == nil, head == "inputs" {
            guard site.step.isJoin else { return [.outsideJoin(reference, at: site)] }
            return InputsRule.check(reference, at: site, graph: graph, flow: flow)
        }
        if case .attribute(let attribute)? = reference.value.path.first, attribute == "item" || attribute == "index",
            graph.step(head)?.foreach != nil
        {
            if site.foreaches.contains(head) { return [] }
            if visible?.merged == nil, visible != nil { return [] }
            return [.notEnclosing(reference, attribute: attribute, at: site)]
        }
        if let visible {
            guard let merge = visible.merged else { return [] }
            return [.differsAfterJoin(reference, merge: merge, at: site)]
        }
        if site.scope.isOpaque { return [] }
        return [.unknownArtifact(reference, at: site, hint: unknownHint(head, at: site, graph: graph))]
    }

    /// Where the name is produced if not before this step, else the nearest visible name.
    private static func unknownHint(_ name: String, at site: ReferenceSite, graph: StepGraph) -> String? {
        if let producer = graph.firstProducer(of: name) {
            return producer == site.stepName
                ? "'\(name)' is an output of '\(producer)' itself; a step reads only what runs before it"
                : "'\(name)' is produced by '\(producer)', which does not run before '\(site.stepName)'"
        }
        guard let nearest = NearestNames.to(name, among: site.scope.names).first else { return nil }
        if let producer = site.scope[nearest]?.producer {
            return "did you mean '\(nearest)' (produced by '\(producer)')?"
        }
        return "did you mean '\(nearest)'?"
    }
}

// MARK: - Messages

extension Diagnostic {
    fileprivate static func unknownArtifact(_ reference: Located<Reference>, at site: ReferenceSite, hint: String?) -> Diagnostic {
        Diagnostic(
            site.unknownCode, at: reference.span,
            "\(site.phrase) '\(reference.value.head)', \(site.nothingProduces)",
            hint: hint)
    }

    fileprivate static func outsideForeach(_ reference: Located<Reference>, at site: ReferenceSite, graph: StepGraph) -> Diagnostic {
        let hint: String
        if case .foreach(let closed)? = graph.splits.closes[site.stepName] {
            hint = "'\(site.stepName)' joins the foreach at '\(closed)': read the items through 'inputs'"
        } else {
            hint = "'item' and 'index' exist only from a step with 'foreach' up to its join"
        }
        return Diagnostic(
            .itemOutsideForeach, at: reference.span,
            "\(site.phrase) '\(reference.value.head)', but '\(site.stepName)' is not inside a foreach",
            hint: hint)
    }

    fileprivate static func outsideJoin(_ reference: Located<Reference>, at site: ReferenceSite) -> Diagnostic {
        var hint = "only a step with 'join: true' reads 'inputs'"
        if case .attribute(let name)? = reference.value.path.first, site.scope[name] != nil {
            hint = "'\(site.stepName)' is not a join: refer to '\(name)' directly"
        }
        return Diagnostic(
            .inputsOutsideJoin, at: reference.span,
            "\(site.phrase) '\(reference.value)', but '\(site.stepName)' is not a join",
            hint: hint)
    }

    fileprivate static func notEnclosing(_ reference: Located<Reference>, attribute: String, at site: ReferenceSite) -> Diagnostic {
        let foreach = reference.value.head
        let hint = site.foreaches.isEmpty
            ? "only steps from '\(foreach)' up to its join can read '\(foreach).\(attribute)'"
            : "the enclosing foreach steps are \(quotedList(site.foreaches))"
        return Diagnostic(
            .notAnEnclosingForeach, at: reference.span,
            "\(site.phrase) '\(foreach).\(attribute)', but '\(site.stepName)' is not inside the foreach at '\(foreach)'",
            hint: hint)
    }

    fileprivate static func differsAfterJoin(_ reference: Located<Reference>, merge: Artifact.Merge, at site: ReferenceSite) -> Diagnostic {
        let name = reference.value.head
        let between = if case .foreach = merge.split {
            "the tasks of the foreach joined at '\(merge.join)'"
        } else {
            "the branches joined at '\(merge.join)'"
        }
        let hint = merge.join == site.stepName
            ? "use 'inputs.\(name)' in the join '\(merge.join)'"
            : "read it as 'inputs.\(name)' in the join '\(merge.join)' and output a merged value"
        return Diagnostic(
            .ambiguousAfterJoin, at: reference.span,
            "\(site.phrase) '\(name)', which differs between \(between)",
            hint: hint)
    }
}
