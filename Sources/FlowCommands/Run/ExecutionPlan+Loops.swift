import FlowGraph

extension ExecutionPlan {
    /// The steps inside a switch loop: those on a path from a loop's target back to the switch
    /// step that loops (both included). They may run again after they have finished.
    var loopingSteps: Set<String> {
        var looping: Set<String> = []
        for name in order {
            guard let step = self[name] else { continue }
            for route in step.routes where route.isLoop {
                looping.formUnion(stepsBetween(route.target, and: name))
            }
        }
        return looping
    }

    /// Steps reachable from `start` without taking a loop route, from which `end` is reachable too.
    private func stepsBetween(_ start: String, and end: String) -> Set<String> {
        var reaches: [String: Bool] = [:]
        func visit(_ name: String) -> Bool {
            if let known = reaches[name] { return known }
            reaches[name] = name == end  // while it is being visited: a join may be met twice
            guard name != end, let step = self[name] else { return name == end }
            let found = (step.next + step.routes.filter { !$0.isLoop }.map(\.target)).map(visit).contains(true)
            reaches[name] = found
            return found
        }
        _ = visit(start)
        return Set(reaches.filter(\.value).keys)
    }
}
