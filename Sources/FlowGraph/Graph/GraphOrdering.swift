/// Depth-first search from the first step: which steps are reachable, which edges close a
/// cycle (back edges), and a topological order of what remains.
struct GraphOrdering {
    /// Indices (into the edge list) of back edges, each with the cycle it closes:
    /// `[a, b, a]` for `a -> b -> a`.
    var backEdges: [Int: [String]] = [:]
    var reachable: Set<String> = []
    /// Reachable steps, parents before children; declaration order breaks ties.
    var order: [String] = []

    private enum Colour { case active, done }

    init(steps: [String], edges: [GraphEdge]) {
        guard let first = steps.first else { return }
        var outgoing: [String: [Int]] = [:]
        for (index, edge) in edges.enumerated() {
            outgoing[edge.from, default: []].append(index)
        }
        var colour: [String: Colour] = [:]
        search(from: first, edges: edges, outgoing: outgoing, colour: &colour)
        reachable = Set(colour.keys)
        // Cycles among unreachable steps are still cycles: search them too.
        for step in steps where colour[step] == nil {
            search(from: step, edges: edges, outgoing: outgoing, colour: &colour)
        }
        order = Self.topologicalOrder(
            steps: steps.filter(reachable.contains),
            edges: edges.indices.filter { backEdges[$0] == nil && reachable.contains(edges[$0].from) }
                .map { edges[$0] })
    }

    private mutating func search(
        from root: String, edges: [GraphEdge], outgoing: [String: [Int]], colour: inout [String: Colour]
    ) {
        var stack: [(step: String, next: Int)] = [(root, 0)]
        colour[root] = .active
        while let (step, position) = stack.last {
            let out = outgoing[step] ?? []
            guard position < out.count else {
                colour[step] = .done
                stack.removeLast()
                continue
            }
            stack[stack.count - 1].next += 1
            let edge = edges[out[position]]
            switch colour[edge.to] {
            case nil:
                colour[edge.to] = .active
                stack.append((edge.to, 0))
            case .active:
                let start = stack.firstIndex { $0.step == edge.to } ?? 0
                backEdges[out[position]] = stack[start...].map(\.step) + [edge.to]
            case .done:
                break
            }
        }
    }

    /// Kahn's algorithm, always taking the earliest declared step that is ready.
    private static func topologicalOrder(steps: [String], edges: [GraphEdge]) -> [String] {
        var position: [String: Int] = [:]
        for (index, step) in steps.enumerated() { position[step] = index }
        var waiting = Array(repeating: 0, count: steps.count)
        var children = Array(repeating: [Int](), count: steps.count)
        for edge in edges {
            guard let from = position[edge.from], let to = position[edge.to] else { continue }
            waiting[to] += 1
            children[from].append(to)
        }
        // Ready steps by declaration position, smallest last so `popLast` takes it.
        var ready = steps.indices.filter { waiting[$0] == 0 }.reversed().map { $0 }
        var order: [String] = []
        while let next = ready.popLast() {
            order.append(steps[next])
            for child in children[next] {
                waiting[child] -= 1
                if waiting[child] == 0 {
                    let slot = ready.firstIndex { $0 < child } ?? ready.count
                    ready.insert(child, at: slot)
                }
            }
        }
        // Left over only if a cycle survived, which removing back edges rules out; stay total.
        let placed = Set(order)
        return order + steps.filter { !placed.contains($0) }
    }
}
