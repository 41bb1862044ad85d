import FlowBasics
import FlowGraph

/// Following the graph as tasks end: `next`, branch splits, switches and their loops, foreach
/// fan-outs, and the joins that close them.
///
/// A task key's `iteration` counts the loop-backs on the way to it; a join takes the largest of
/// its arrivals', so no two tasks of a step on one foreach path share a key. Which join task an
/// arrival belongs to is told by the scope's innermost opener, never by the arrival's own key:
/// the branches of one split, or the tasks of one foreach, may have looped different times.
extension Scheduler {
    func finished(_ key: TaskKey, scope: TaskScope, result: TaskResult, state: inout RunState) async {
        state.tasksRun += 1
        state.drain.ended(key.step)
        if let failure = result.failure {
            state.failures.append((key, failure))
            return
        }
        let out = scope.adding(result.outputs)
        state.outScopes[key] = out
        guard let planned = plan[key.step] else { return }
        if planned.isLast {
            state.finalArtifacts = out.artifacts
            state.lastStepFinished = true
        }
        if planned.routes.isEmpty {
            var onward = out
            if planned.opensBranches { onward.openers.append(key) }
            for target in planned.next {
                await arrive(at: target, from: key, scope: onward, iteration: key.iteration, state: &state)
            }
        } else {
            await route(planned, from: key, scope: out, state: &state)
        }
    }

    /// A switch: ask the executor which case the value matches, then go there.
    private func route(_ planned: ExecutionPlan.PlannedStep, from key: TaskKey, scope: TaskScope, state: inout RunState) async {
        guard let on = planned.switchOn else { return }
        let cases = planned.routes.filter { $0.value != nil }
        let chosen: ExecutionPlan.Route?
        do throws(TaskFailure) {
            let value = try scope.resolve(on).get()
            let index = try await executor.match(value, among: cases.compactMap(\.value))
            chosen = index.map { cases[$0] } ?? planned.routes.first { $0.value == nil }
        } catch {
            state.failures.append((key, error))
            return
        }
        guard let chosen else {
            let labels = cases.map(\.label)
            state.failures.append((key, TaskFailure(
                kind: .switch, message: "the value of '\(on)' matches none of the cases \(quotedList(labels, conjunction: "or")) of step '\(key.step)', which has no default")))
            return
        }
        var onward = scope
        var iteration = key.iteration
        if chosen.isLoop {
            iteration += 1
            let passes = scope.loopPasses[key.step, default: 0] + 1
            if let bound = planned.maxIterations, passes >= bound {
                state.failures.append((key, TaskFailure(
                    kind: .loop, message: "step '\(key.step)' ran \(bound) times, its 'max_iterations', and would loop back to '\(chosen.target)' once more")))
                return
            }
            onward.loopPasses[key.step] = passes
        } else {
            onward.loopPasses[key.step] = nil
        }
        await arrive(at: chosen.target, from: key, scope: onward, iteration: iteration, state: &state)
    }

    /// A task ended and leads to `target`: run it, or count the arrival if it is a join.
    private func arrive(at target: String, from parent: TaskKey, scope: TaskScope, iteration: Int, state: inout RunState) async {
        let key = TaskKey(step: target, path: parent.path, iteration: iteration)
        switch plan[target]?.join {
        case nil:
            await enqueue(key, scope: scope, parents: [parent], state: &state)
        case .cases(let parents)?:
            // Only one case ran: it is the one namespace of `inputs`.
            let ran = TaskScope.Branch(step: parent.step, artifacts: scope.artifacts)
            await enqueue(key, scope: .joining([ran], base: scope, at: target, branchEnds: Set(parents)), parents: [parent], state: &state)
        case let join?:
            await reach(join, at: target, from: parent, scope: scope, state: &state)
        }
    }

    /// An arrival at a join that closes a split, kept under the task that opened the split; the
    /// join runs once every branch or foreach task has arrived.
    private func reach(_ join: ExecutionPlan.Join, at target: String, from parent: TaskKey, scope: TaskScope, state: inout RunState) async {
        guard let opener = scope.openers.last, opener.step == Self.opener(of: join),
              let position = position(of: parent, in: join, scope: scope) else {
            state.failures.append((parent, TaskFailure(
                kind: .scheduler, message: "step '\(parent.step)' reached join '\(target)' outside the split it closes")))
            return
        }
        state.pendingJoins[opener, default: RunState.PendingJoin(join: target)].arrived[position] = RunState.Arrival(key: parent, scope: scope)
        let (expected, base): (Int, TaskScope?) = if case .branch(_, let branches) = join {
            (branches.count, state.outScopes[opener])
        } else {
            (state.fanouts[opener]?.count ?? -1, state.fanouts[opener]?.base)
        }
        guard let pending = state.pendingJoins[opener], pending.arrived.count == expected, let base else { return }
        state.pendingJoins[opener] = nil
        state.fanouts[opener] = nil
        let arrived = pending.arrived.keys.sorted().compactMap { pending.arrived[$0] }
        let branches = arrived.map { TaskScope.Branch(step: $0.key.step, artifacts: $0.scope.artifacts) }
        let key = TaskKey(step: target, path: opener.path, iteration: arrived.map(\.key.iteration).max() ?? opener.iteration)
        let ends: Set<String> = if case .branch(_, let all) = join { Set(all.joined()) } else { [] }
        await enqueue(key, scope: .joining(branches, base: base, at: target, branchEnds: ends),
                      parents: arrived.map(\.key), state: &state)
    }

    /// Which of a join's branches (by position) or foreach tasks (by index) `parent` ends.
    private func position(of parent: TaskKey, in join: ExecutionPlan.Join, scope: TaskScope) -> Int? {
        switch join {
        case .branch(_, let branches): branches.firstIndex { $0.contains(parent.step) }
        case .foreach: scope.foreach.last?.index
        case .cases: nil
        }
    }

    private static func opener(of join: ExecutionPlan.Join) -> String? {
        switch join {
        case .branch(let opener, _), .foreach(let opener): opener
        case .cases: nil
        }
    }

    /// Queues a task, or, for a foreach step, one task per item; `parents` are the tasks whose
    /// ends made it ready.
    func enqueue(_ key: TaskKey, scope: TaskScope, parents: [TaskKey], state: inout RunState) async {
        guard let planned = plan[key.step] else { return }
        guard let over = planned.foreach else {
            state.queue(key, scope, parents)
            return
        }
        let items: [ValueSource]
        do throws(TaskFailure) {
            items = try await fanOut(over, scope: scope, step: key.step)
        } catch {
            state.failures.append((key, error))
            return
        }
        guard let join = planned.closingJoin else { return }
        if items.isEmpty {
            let joinKey = TaskKey(step: join, path: key.path, iteration: key.iteration)
            await enqueue(joinKey, scope: .joining([], base: scope, at: join), parents: parents, state: &state)
            return
        }
        state.fanouts[key] = (items.count, scope)
        for (index, item) in items.enumerated() {
            var itemScope = scope
            itemScope.foreach.append(TaskScope.ForeachItem(step: key.step, item: item, index: index))
            itemScope.openers.append(key)
            state.queue(TaskKey(step: key.step, path: key.path + [index], iteration: key.iteration), itemScope, parents)
        }
    }

    private func fanOut(_ over: Reference, scope: TaskScope, step: String) async throws(TaskFailure) -> [ValueSource] {
        let source = try scope.resolve(over).get()
        if case .list(let values) = source { return try bounded(values, step: step) }
        let fanOut: FanOut
        do throws(TaskFailure) {
            fanOut = try await executor.fanOut(over: source)
        } catch {
            throw TaskFailure(kind: error.kind, type: error.type, message: "cannot read '\(over)' to fan out: \(error.message)",
                              traceback: error.traceback)
        }
        _ = try bounded(Array(repeating: 0, count: min(fanOut.count, maxSplits + 1)), step: step)
        let indexed = fanOut.items.map { ValueSource.artifact($0) } ?? source
        return (0..<fanOut.count).compactMap { indexed.appending([.index($0)]) }
    }

    private func bounded<T>(_ items: [T], step: String) throws(TaskFailure) -> [T] {
        guard items.count <= maxSplits else {
            throw TaskFailure(kind: .foreach, message: "step '\(step)' would fan out to more than \(maxSplits) tasks; raise --max-splits if that is intended")
        }
        return items
    }

    // MARK: - Draining

    /// Why a run that drained without a failure did not complete: the joins still waiting, and
    /// the last step if it never ran. Empty when every join ran and the last step finished.
    func unfinished(_ state: RunState) -> [(TaskKey, TaskFailure)] {
        var failures = state.pendingJoins.sorted { "\($0.key)" < "\($1.key)" }.map { opener, pending in
            (TaskKey(step: pending.join, path: opener.path, iteration: opener.iteration),
             TaskFailure(kind: .unreached, message: "it never ran: " + waitedFor(pending, opener: opener, state: state)))
        }
        if !state.lastStepFinished, let last = plan.order.last(where: { plan[$0]?.isLast == true }),
           !failures.contains(where: { $0.0.step == last }) {
            failures.append((TaskKey(step: last), TaskFailure(
                kind: .unreached, message: "the run ended before its last step '\(last)' ran, so it did not complete")))
        }
        return failures
    }

    private func waitedFor(_ pending: RunState.PendingJoin, opener: TaskKey, state: RunState) -> String {
        guard case .branch(_, let branches)? = plan[pending.join]?.join else {
            let count = state.fanouts[opener]?.count ?? 0
            return "\(pending.arrived.count) of the \(count) tasks of the foreach at '\(opener.step)' reached it"
        }
        let arrived = pending.arrived.keys.sorted().compactMap { pending.arrived[$0]?.key.step }
        let missing = branches.indices.filter { pending.arrived[$0] == nil }.map { quotedList(branches[$0], conjunction: "or") }
        return "of the branches opened at '\(opener.step)', "
            + (arrived.isEmpty ? "none" : "only the one\(arrived.count == 1 ? "" : "s") ending at \(quotedList(arrived))")
            + " reached it; the branch\(missing.count == 1 ? "" : "es") ending at \(missing.joined(separator: "; ")) never did"
    }
}
