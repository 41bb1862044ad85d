/// One level of nesting that a step runs inside: a static branch, a foreach, or a switch whose
/// cases have not yet converged. A step's split stack lists them outermost first.
public enum SplitFrame: Hashable, Sendable {
    /// Branch `index` of the `next` list of `step`.
    case branch(step: String, index: Int)
    /// The tasks of the foreach step `step`.
    case foreach(step: String)
    /// The cases of the switch step `step`, until they converge.
    case `switch`(step: String)

    /// The step that opened the split.
    public var step: String {
        switch self {
        case .branch(let step, _), .foreach(let step), .switch(let step): step
        }
    }

    /// Branches and foreaches need a join; a switch does not.
    public var needsJoin: Bool {
        if case .switch = self { false } else { true }
    }

    /// The same split regardless of branch index.
    func isSameSplit(as other: SplitFrame) -> Bool {
        switch (self, other) {
        case (.branch(let a, _), .branch(let b, _)), (.foreach(let a), .foreach(let b)),
            (.switch(let a), .switch(let b)):
            a == b
        default: false
        }
    }

    /// How a message names the split: "the branch at 'S'".
    var phrase: String {
        switch self {
        case .branch(let step, _): "the branch at '\(step)'"
        case .foreach(let step): "the foreach at '\(step)'"
        case .switch(let step): "the switch at '\(step)'"
        }
    }
}

extension Array where Element == SplitFrame {
    /// Branches and foreaches only: what a step is nested in for data and for depth.
    var splitsNeedingJoin: [SplitFrame] {
        // Most stacks hold no switch: share the array instead of copying it.
        allSatisfy(\.needsJoin) ? self : filter(\.needsJoin)
    }
}

/// The longest stack every one of `stacks` starts with.
func commonPrefix(_ stacks: [[SplitFrame]]) -> [SplitFrame] {
    guard var prefix = stacks.first else { return [] }
    for stack in stacks.dropFirst() {
        let count = zip(prefix, stack).prefix { $0 == $1 }.count
        prefix = Array(prefix.prefix(count))
    }
    return prefix
}
