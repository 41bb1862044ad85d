import FlowBasics

/// What one task instance sees: artifacts by name (nearest producer wins), the items of the
/// foreaches it runs inside, and, in a join, what each incoming branch saw; and where it is in
/// the graph: the splits it runs inside and the loop passes made so far.
struct TaskScope: Sendable {
    struct ForeachItem: Sendable {
        let step: String
        let item: ValueSource
        let index: Int
    }

    /// An incoming branch of a join: the step it ended at and what it saw.
    struct Branch: Sendable {
        let step: String
        let artifacts: [String: ValueSource]
    }

    var artifacts: [String: ValueSource] = [:]
    /// Names merged at a join whose values differ: readable only through `inputs`.
    var differing: [String: String] = [:]
    var foreach: [ForeachItem] = []
    /// Set in a join only.
    var inputs: [Branch]?
    /// In a join of static branches or of a switch's cases: every step a branch may end at,
    /// whether it ran or not.
    var branchEnds: Set<String> = []
    /// The task that opened each branch split or foreach fan-out this task runs inside,
    /// innermost last (for a foreach, its step's task before the item index); a join closes the last.
    var openers: [TaskKey] = []
    /// Loop-backs taken by each switch step since its loop was entered.
    var loopPasses: [String: Int] = [:]

    /// After a step ran: its outputs over what it saw; `inputs` do not pass on.
    func adding(_ outputs: [String: ArtifactRef]) -> TaskScope {
        var next = self
        next.inputs = nil
        next.branchEnds = []
        for (name, ref) in outputs {
            next.artifacts[name] = .artifact(ref)
            next.differing[name] = nil
        }
        return next
    }

    /// The scope of a join: artifacts equal on every branch stay visible; the others only
    /// through `inputs`.
    static func joining(_ branches: [Branch], base: TaskScope, at join: String, branchEnds: Set<String> = []) -> TaskScope {
        var scope = base
        scope.inputs = branches
        scope.branchEnds = branchEnds
        let names = Set(branches.flatMap(\.artifacts.keys))
        for name in names {
            let values = Set(branches.map { $0.artifacts[name] })
            if values.count == 1, let value = values.first, let value {
                scope.artifacts[name] = value
                scope.differing[name] = nil
            } else {
                scope.artifacts[name] = nil
                scope.differing[name] = join
            }
        }
        return scope
    }

    /// Every name a parameter may be bound to by its own name.
    var bindable: [String: ValueSource] {
        var names = artifacts
        if let innermost = foreach.last {
            names["item"] = innermost.item
            names["index"] = .literal(.int(innermost.index))
        }
        if let inputs { names["inputs"] = Self.namespaces(inputs, named: !branchEnds.isEmpty) }
        return names
    }

    /// The value of a reference (docs/spec.md section 3), or why it has none.
    func resolve(_ reference: Reference) -> Result<ValueSource, TaskFailure> {
        let names = reference.leadingNames
        if reference.head == "item" || reference.head == "index", let innermost = foreach.last {
            return accessed(reference.head == "item" ? innermost.item : .literal(.int(innermost.index)),
                            Array(reference.path), reference)
        }
        if names.count >= 2, names[1] == "item" || names[1] == "index",
           let enclosing = foreach.last(where: { $0.step == reference.head }) {
            let value: ValueSource = names[1] == "item" ? enclosing.item : .literal(.int(enclosing.index))
            return accessed(value, Array(reference.path.dropFirst()), reference)
        }
        if reference.head == "inputs", let inputs {
            return resolveInputs(reference, inputs)
        }
        if let value = artifacts[reference.head] {
            return accessed(value, reference.path, reference)
        }
        let reason = differing[reference.head].map { "it differs between the branches joined at '\($0)'; read it there as 'inputs.\(reference.head)'" }
            ?? "no step before this one produced it"
        return .failure(TaskFailure(kind: .binding, message: "'\(reference)' has no value: \(reason)"))
    }

    private func resolveInputs(_ reference: Reference, _ inputs: [Branch]) -> Result<ValueSource, TaskFailure> {
        let names = reference.leadingNames
        if names.count == 1, reference.path.isEmpty {
            return .success(Self.namespaces(inputs, named: !branchEnds.isEmpty))
        }
        if names.count >= 2, branchEnds.contains(names[1]), !inputs.contains(where: { $0.step == names[1] }) {
            let ran = inputs.map(\.step)
            return .failure(TaskFailure(kind: .binding, message: "'\(reference)' has no value: no branch ended at '\(names[1])' in this run (a switch chose another way); the branches ended at \(quotedList(ran))"))
        }
        if names.count >= 3, let branch = inputs.first(where: { $0.step == names[1] }) {
            guard let value = branch.artifacts[names[2]] else {
                return .failure(TaskFailure(kind: .binding, message: "'\(reference)' has no value: the branch ending at '\(names[1])' did not produce '\(names[2])'"))
            }
            return accessed(value, Array(reference.path.dropFirst(2)), reference)
        }
        guard names.count >= 2 else {
            return .failure(TaskFailure(kind: .binding, message: "'\(reference)' names no artifact of the joined branches"))
        }
        var values: [ValueSource] = []
        for branch in inputs {
            guard let value = branch.artifacts[names[1]].flatMap({ $0.appending(Array(reference.path.dropFirst())) }) else {
                return .failure(TaskFailure(kind: .binding, message: "'\(reference)' has no value: the branch ending at '\(branch.step)' did not produce '\(names[1])'"))
            }
            values.append(value)
        }
        return .success(.list(values))
    }

    /// `inputs` as one namespace per branch; a static branch's also by the step it ended at.
    private static func namespaces(_ inputs: [Branch], named: Bool) -> ValueSource {
        .namespaces(inputs.map(\.artifacts), steps: named ? inputs.map(\.step) : nil)
    }

    private func accessed(_ value: ValueSource, _ path: [Reference.Accessor], _ reference: Reference) -> Result<ValueSource, TaskFailure> {
        guard let result = value.appending(path) else {
            return .failure(TaskFailure(kind: .binding, message: "'\(reference)': attributes, indices and keys apply only to artifacts"))
        }
        return .success(result)
    }
}
