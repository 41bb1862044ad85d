/// Depth-first search from the first step: which steps are reachable, which edges close a
/// cycle (back edges), and a topological order of what remains.
struct GraphOrdering {
    /// Indices (into the edge list) of back edges, each with the cycle it closes:
    /// `[a, b, a]` for `a -> b -> a`.
    var backEdges: [Int: [String]] = [:]
    /// Whether each step, by id, is reachable from the first.
    var reachable: [Bool]
    /// Reachable steps, parents before children; declaration order breaks ties.
    var order: [StepID] = []

    private enum Colour { case unseen, active, done }

    /// `names` are the steps' names by id, the first step first; `ends` the edges' ends.
    init(names: [String], ends: [EdgeEnds]) {
        reachable = Array(repeating: false, count: names.count)
        guard !names.isEmpty else { return }
        let outgoing = Adjacency(rows: names.count, pairs: ends.indices.map { (ends[$0].from, $0) })
        var colour = Array(repeating: Colour.unseen, count: names.count)
        search(from: 0, names: names, ends: ends, outgoing: outgoing, colour: &colour)
        reachable = colour.map { $0 != .unseen }
        // Cycles among unreachable steps are still cycles: search them too.
        for step in names.indices where colour[step] == .unseen {
            search(from: step, names: names, ends: ends, outgoing: outgoing, colour: &colour)
        }
        order = Self.topologicalOrder(
            reachable: reachable,
            ends: ends.indices.filter { backEdges[$0] == nil && reachable[ends[$0].from] }.map { ends[$0] })
    }

    private mutating func search(
        from root: StepID, names: [String], ends: [EdgeEnds], outgoing: Adjacency, colour: inout [Colour]
    ) {
        var stack: [(step: StepID, next: Int)] = [(root, 0)]
        colour[root] = .active
        while let (step, position) = stack.last {
            let out = outgoing[step]
            guard position < out.count else {
                colour[step] = .done
                stack.removeLast()
                continue
            }
            stack[stack.count - 1].next += 1
            let edge = out[out.startIndex + position]
            let target = ends[edge].to
            switch colour[target] {
            case .unseen:
                colour[target] = .active
                stack.append((target, 0))
            case .active:
                let start = stack.firstIndex { $0.step == target } ?? 0
                backEdges[edge] = (stack[start...].map(\.step) + [target]).map { names[$0] }
            case .done:
                break
            }
        }
    }

    /// Kahn's algorithm over the reachable steps, always taking the earliest declared step that
    /// is ready.
    private static func topologicalOrder(reachable: [Bool], ends: [EdgeEnds]) -> [StepID] {
        var waiting = Array(repeating: 0, count: reachable.count)
        for end in ends { waiting[end.to] += 1 }
        let children = Adjacency(rows: reachable.count, pairs: ends.map { ($0.from, $0.to) })
        // Ready steps by id, smallest last so `popLast` takes it.
        var ready = reachable.indices.filter { reachable[$0] && waiting[$0] == 0 }.reversed().map { $0 }
        var order: [StepID] = []
        while let next = ready.popLast() {
            order.append(next)
            for child in children[next] {
                waiting[child] -= 1
                if waiting[child] == 0 {
                    let slot = ready.firstIndex { $0 < child } ?? ready.count
                    ready.insert(child, at: slot)
                }
            }
        }
        // Left over only if a cycle survived, which removing back edges rules out; stay total.
        var placed = Array(repeating: false, count: reachable.count)
        for step in order { placed[step] = true }
        return order + reachable.indices.filter { reachable[$0] && !placed[$0] }
    }
}
