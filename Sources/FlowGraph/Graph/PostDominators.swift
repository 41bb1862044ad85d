/// Immediate post-dominators on the acyclic graph of reachable steps: the first step that every
/// path from a step to the end goes through. A switch's cases converge there.
struct PostDominators {
    /// By step id; nil: only the virtual exit after every last step post-dominates the step
    /// (or the step is unreachable).
    private(set) var immediate: [StepID?]

    /// `order` must be topological; `successors` the distinct forward successors of each step.
    init(order: [StepID], stepCount: Int, successors: (StepID) -> ArraySlice<StepID>) {
        immediate = Array(repeating: nil, count: stepCount)
        let exit = order.count
        var position = Array(repeating: -1, count: stepCount)
        for (index, step) in order.enumerated() { position[step] = index }
        // Positions only: -1 stands for nothing yet, `exit` for the virtual exit.
        var dominator: [Int] = Array(repeating: -1, count: order.count)

        func intersect(_ a: Int, _ b: Int) -> Int {
            var a = a, b = b
            while a != b {
                while a < b { a = dominator[a] }
                while b < a { b = dominator[b] }
            }
            return a
        }

        for index in order.indices.reversed() {
            let next = successors(order[index]).map { position[$0] }.filter { $0 > index }
            guard let first = next.first else {
                dominator[index] = exit
                continue
            }
            dominator[index] = next.dropFirst().reduce(first, intersect)
        }
        for (index, step) in order.enumerated() where dominator[index] != exit {
            immediate[step] = order[dominator[index]]
        }
    }
}
