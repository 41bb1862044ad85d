/// Immediate post-dominators on the acyclic graph of reachable steps: the first step that every
/// path from a step to the end goes through. A switch's cases converge there.
struct PostDominators {
    /// nil: only the virtual exit after every last step post-dominates the step.
    private(set) var immediate: [String: String?] = [:]

    /// `order` must be topological; `successors` the distinct forward successors of each step.
    init(order: [String], successors: (String) -> [String]) {
        let exit = order.count
        var position: [String: Int] = [:]
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
            let next = successors(order[index]).compactMap { position[$0] }.filter { $0 > index }
            guard let first = next.first else {
                dominator[index] = exit
                continue
            }
            dominator[index] = next.dropFirst().reduce(first, intersect)
        }
        for (index, step) in order.enumerated() {
            immediate[step] = dominator[index] == exit ? String?.none : order[dominator[index]]
        }
    }
}
