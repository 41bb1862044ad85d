extension StepGraph {
    /// The steps inside a switch loop: those on a path from the step a loop goes back to, to
    /// the switch step that goes back (both included). Their tasks are told apart by pass.
    var loopingSteps: Set<String> {
        var looping: Set<String> = []
        for loop in backEdges where loop.isLoop {
            looping.formUnion(descendants(of: loop.to).intersection(ancestors(of: loop.from)))
        }
        return looping
    }

    /// `step` and every step after it along forward edges.
    private func descendants(of step: String) -> Set<String> {
        var found: Set<String> = [step]
        for name in order where !found.contains(name) && parents(of: name).contains(where: found.contains) {
            found.insert(name)
        }
        return found
    }

    /// `step` and every step before it along forward edges.
    private func ancestors(of step: String) -> Set<String> {
        var found: Set<String> = [step]
        for name in order.reversed() where !found.contains(name)
            && successors(of: name).contains(where: { !$0.isLoop && found.contains($0.to) }) {
            found.insert(name)
        }
        return found
    }
}
