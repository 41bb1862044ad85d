import FlowGraph

/// What the running tasks hold: how many there are, the sum of their cpu and memory, and how
/// many of each step. A task may start when one more stays within `maxWorkers`, the limits,
/// and its step's `concurrency`. A task of a step that runs elsewhere (`ResourceLimits.elsewhere`,
/// a cluster that places it) takes none of this machine's workers, cpu or memory: at most
/// `ResourceLimits.elsewhereAtOnce` of them are out at once.
struct ResourceBudget {
    enum Verdict: Equatable {
        case fits
        /// All `maxWorkers` are busy.
        case noWorker
        /// Its step already runs `concurrency` tasks.
        case stepAtConcurrency
        /// Not enough cpu or memory left for it now.
        case shortOfRoom
    }

    let limits: ResourceLimits
    let maxWorkers: Int
    private let needs: [String: TaskNeeds]
    private let concurrency: [String: Int]
    /// Tasks running, here and elsewhere.
    private(set) var running = 0
    private var runningElsewhere = 0
    private var runningHere: Int { running - runningElsewhere }
    /// Thousandths of a cpu, so that adding and taking back `0.1` leaves no rounding residue.
    private var cpuMillis: Int64 = 0
    private var memory: Int64 = 0
    private var runningPerStep: [String: Int] = [:]

    init(plan: ExecutionPlan, limits: ResourceLimits, maxWorkers: Int) {
        self.limits = limits
        self.maxWorkers = maxWorkers
        var needs: [String: TaskNeeds] = [:], concurrency: [String: Int] = [:]
        for name in plan.order {
            guard let step = plan[name] else { continue }
            needs[name] = limits.elsewhere.contains(name) ? TaskNeeds(cpu: 0) : step.needs
            concurrency[name] = step.concurrency
        }
        self.needs = needs
        self.concurrency = concurrency
    }

    /// Whether a task of some step might start: a worker here is free, or room elsewhere.
    var hasRoom: Bool { runningHere < maxWorkers || (!limits.elsewhere.isEmpty && runningElsewhere < limits.elsewhereAtOnce) }

    func verdict(for step: String) -> Verdict {
        let elsewhere = limits.elsewhere.contains(step)
        guard elsewhere ? runningElsewhere < limits.elsewhereAtOnce : runningHere < maxWorkers else { return .noWorker }
        if let bound = concurrency[step], runningPerStep[step, default: 0] >= bound { return .stepAtConcurrency }
        let asked = needs[step] ?? TaskNeeds()
        let cpuFits = Double(cpuMillis + Self.millis(asked.cpu)) <= limits.cpu * 1000 + 0.5
        return cpuFits && asked.memory <= limits.memory - memory ? .fits : .shortOfRoom
    }

    mutating func take(_ step: String) {
        let asked = needs[step] ?? TaskNeeds()
        running += 1
        if limits.elsewhere.contains(step) { runningElsewhere += 1 }
        cpuMillis += Self.millis(asked.cpu)
        memory += asked.memory
        runningPerStep[step, default: 0] += 1
    }

    mutating func release(_ step: String) {
        let asked = needs[step] ?? TaskNeeds()
        running -= 1
        if limits.elsewhere.contains(step) { runningElsewhere -= 1 }
        cpuMillis -= Self.millis(asked.cpu)
        memory -= asked.memory
        runningPerStep[step, default: 0] -= 1
    }

    private static func millis(_ cpu: Double) -> Int64 { Int64((cpu * 1000).rounded()) }
}
