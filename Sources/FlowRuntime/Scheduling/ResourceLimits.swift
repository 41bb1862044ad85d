import FlowBasics
import FlowGraph
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Glibc

/// What one task of a step holds while it runs: its step's `resources`, a missing cpu counting
/// as 1 and a missing memory as 0.
public struct TaskNeeds: Hashable, Sendable {
    public var cpu: Double
    public var memory: Int64
    /// Passed on to executors that place tasks on GPUs; the local scheduler does not count it.
    public var gpu: Int

    public init(cpu: Double = 1, memory: Int64 = 0, gpu: Int = 0) {
        self.cpu = cpu
        self.memory = memory
        self.gpu = gpu
    }

    public init(_ resources: Resources?) {
        self.init(cpu: resources?.cpu ?? 1, memory: resources?.memory?.bytes ?? 0, gpu: resources?.gpu ?? 0)
    }
}

/// How much cpu and memory the tasks running at one time may ask for in all.
public struct ResourceLimits: Hashable, Sendable {
    public var cpu: Double
    /// Bytes.
    public var memory: Int64
    /// Steps whose tasks run elsewhere (on a cluster, which places them): their resources
    /// count against no limit here.
    public var elsewhere: Set<String> = []
    /// How many tasks of those steps may be out at once (queued or running there): none of
    /// this machine's workers is theirs, so only this bounds them (and their step's `concurrency`).
    public var elsewhereAtOnce = 1000

    public init(cpu: Double, memory: Int64) {
        self.cpu = cpu
        self.memory = memory
    }

    public static let unlimited = ResourceLimits(cpu: .infinity, memory: .max)

    /// This machine's online cores and its physical memory.
    public static func machine() -> ResourceLimits {
        let cores = max(1, sysconf(Int32(_SC_NPROCESSORS_ONLN)))
        return ResourceLimits(cpu: Double(cores), memory: memTotal() ?? physicalPages())
    }

    /// `MemTotal` of `/proc/meminfo`, in bytes.
    private static func memTotal() -> Int64? {
        guard let data = FileManager.default.contents(atPath: "/proc/meminfo") else { return nil }
        let line = String(decoding: data, as: UTF8.self).split(separator: "\n").first { $0.hasPrefix("MemTotal:") }
        guard let kilobytes = line?.split(separator: " ").dropFirst().first.flatMap({ Int64($0) }) else { return nil }
        return kilobytes * 1024
    }

    private static func physicalPages() -> Int64 {
        Int64(sysconf(Int32(_SC_PHYS_PAGES))) * Int64(sysconf(Int32(_SC_PAGESIZE)))
    }

    /// A step whose one task asks for more than the limits: it could never start.
    public struct Excess: Hashable, Sendable {
        public let step: String
        /// `cpu` or `memory`.
        public let resource: String
        /// As written for the user: `4`, `16G`.
        public let asked: String
        public let available: String

        public var message: String {
            "step '\(step)' asks for \(resource) \(asked), more than the \(available) the run may use, so it could never start"
        }
    }

    /// Every step with a `run` whose task alone asks for more than these limits.
    public func excesses(in plan: ExecutionPlan) -> [Excess] {
        plan.order.flatMap { name -> [Excess] in
            guard let step = plan[name], step.function != nil, !elsewhere.contains(name) else { return [] }
            let needs = step.needs
            var found: [Excess] = []
            if needs.cpu > cpu {
                found.append(Excess(step: name, resource: "cpu", asked: Self.number(needs.cpu), available: Self.number(cpu)))
            }
            if needs.memory > memory {
                found.append(Excess(step: name, resource: "memory", asked: MemorySize(bytes: needs.memory).description,
                                    available: MemorySize(bytes: memory).description))
            }
            return found
        }
    }

    /// `2`, `0.5`.
    static func number(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : String(value)
    }
}

extension ExecutionPlan.PlannedStep {
    /// What one task of the step holds while it runs.
    public var needs: TaskNeeds { TaskNeeds(resources) }
}
