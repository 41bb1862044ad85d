/// Tasks ready to start, one first-in first-out queue per step. Tasks of one step need the
/// same, so when a step's first task cannot start, none of that step can: picking a task looks
/// at one task per step, however many wait.
///
/// The oldest task that fits starts first; a task that does not fit lets younger ones that do
/// go ahead. So that a big task is not starved by a stream of small ones, once it has been
/// passed over `patience` times for want of cpu or memory, nothing younger starts until it fits.
/// (A task held back by its own step's `concurrency` waits only for its own step, and holds
/// back no one.)
struct WaitingTasks<Entry> {
    static var patience: Int { 8 }

    private var queues: [String: Deque<(order: Int, entry: Entry)>] = [:]
    private var arrivals = 0
    /// How often the task that arrived `order`-th was passed over for want of room.
    private var passedOver: [Int: Int] = [:]

    var isEmpty: Bool { queues.isEmpty }

    mutating func append(_ entry: Entry, step: String) {
        queues[step, default: Deque()].append((arrivals, entry))
        arrivals += 1
    }

    /// The task to start now, taken out of the queue; nil when none may start.
    mutating func next(within budget: ResourceBudget) -> Entry? {
        guard budget.hasRoom else { return nil }
        let heads = queues.compactMap { step, queue in queue.first.map { (step: step, order: $0.order) } }
            .sorted { $0.order < $1.order }
        var shortOfRoom: [Int] = []
        for head in heads {
            switch budget.verdict(for: head.step) {
            case .fits:
                for order in shortOfRoom { passedOver[order, default: 0] += 1 }
                passedOver[head.order] = nil
                return pop(head.step)
            case .shortOfRoom:
                if passedOver[head.order, default: 0] >= Self.patience { return nil }
                shortOfRoom.append(head.order)
            case .stepAtConcurrency, .noWorker:
                continue
            }
        }
        return nil
    }

    private mutating func pop(_ step: String) -> Entry? {
        let popped = queues[step]?.popFirst()
        if queues[step]?.isEmpty == true { queues[step] = nil }
        return popped?.entry
    }
}
