import ArgumentParser
import FlowBasics
import FlowEngine
import FlowStore
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The options `run` and `resume` share.
struct RunOptions: ParsableArguments {
    @Option(help: "How many tasks run at once (default: the number of cores); fewer when their resources fill --max-cpu or --max-memory.")
    var maxWorkers: Int?

    @Option(help: ArgumentHelp("The cpus running tasks may ask for together in resources.cpu (default: the number of cores; a task without resources counts as 1).", valueName: "n"))
    var maxCpu: Double?

    @Option(help: ArgumentHelp("The memory running tasks may ask for together in resources.memory: 4G, 512M, a bare number is MB (default: the machine's memory).", valueName: "size"))
    var maxMemory: String?

    var maxMemorySize: MemorySize? { maxMemory.flatMap(MemorySize.init(parsing:)) }

    @Option(help: "The most tasks one foreach may fan out to.")
    var maxSplits = 100_000

    @Option(name: .customLong("tag"), help: ArgumentHelp("A tag recorded with the run; repeat for several.", valueName: "tag"))
    var tags: [String] = []

    @Flag(name: .shortAndLong, help: "Do not show what tasks print (it is still stored: see the task's attempts).")
    var quiet = false

    @Flag(help: "Show what tasks print as printed, without the task prefix (for JSON logs).")
    var raw = false

    @Option(help: "Where the tasks of a step without its own 'executor' run: local, or slurm (one Slurm job per task).")
    var executor: ExecutorKind = .local

    @Option(help: ArgumentHelp("The Slurm partition of the steps that run on Slurm, over their 'slurm.partition'.", valueName: "name"))
    var slurmPartition: String?

    @Option(help: ArgumentHelp("The Slurm account, over the steps' 'slurm.account'.", valueName: "name"))
    var slurmAccount: String?

    @Option(help: ArgumentHelp("The Slurm QOS, over the steps' 'slurm.qos'.", valueName: "name"))
    var slurmQos: String?

    @Option(help: ArgumentHelp("The Slurm constraint (node features), over the steps' 'slurm.constraint'.", valueName: "features"))
    var slurmConstraint: String?

    @Option(help: ArgumentHelp("A raw sbatch argument for every Slurm job, after the steps' 'slurm.extra'; repeat for several.", valueName: "arg"))
    var slurmExtra: [String] = []

    @Option(help: ArgumentHelp("Run each Slurm step's tasks in this many pilot jobs, over the steps' 'slurm.pilots'.", valueName: "n"))
    var slurmPilots: Int?

    /// The command line's Slurm settings.
    var slurm: SlurmSettings {
        var settings = SlurmSettings()
        settings.partition = slurmPartition
        settings.account = slurmAccount
        settings.qos = slurmQos
        settings.constraint = slurmConstraint
        settings.extra = slurmExtra
        settings.pilots = slurmPilots
        return settings
    }

    @Flag(help: "Do not check the steps' Python (functions exist, parameters bind) before the first task.")
    var noCheck = false

    @Flag(help: "Run every task, even of steps with 'cache: true' whose key an earlier task had (the tasks still record their keys).")
    var noCache = false

    func validate() throws {
        if quiet && raw { throw ValidationError("--quiet and --raw exclude each other") }
        if let maxWorkers, maxWorkers < 1 { throw ValidationError("--max-workers must be at least 1") }
        if let slurmPilots, slurmPilots < 1 { throw ValidationError("--slurm-pilots must be at least 1") }
        if let maxCpu, !(maxCpu > 0 && maxCpu.isFinite) { throw ValidationError("--max-cpu must be a number above 0") }
        if let maxMemory, (maxMemorySize?.bytes ?? 0) <= 0 {
            throw ValidationError("--max-memory '\(maxMemory)' is not a memory size; write a number of megabytes, or a number with K, M, G or T: 512M, 4G")
        }
        guard maxSplits >= 1 else { throw ValidationError("--max-splits must be at least 1") }
        if let problem = tags.lazy.compactMap(RunTags.problem).first { throw ValidationError("--tag: \(problem)") }
    }

    /// The run `run` or `resume` asks for; a step that asks for more than the run's resources
    /// ends the command first.
    func request(_ launch: FlowLaunch, _ inputs: RunRequest.Inputs, store: StoreOption) throws -> RunRequest {
        let onSlurm = FlowRun.slurmSteps(of: launch.plan, in: launch.spec, executor: executor)
        var options = RunRequest.Options(
            maxWorkers: maxWorkers ?? ProcessInfo.processInfo.activeProcessorCount,
            resourceLimits: try resourceLimits(for: launch.plan, elsewhere: onSlurm),
            maxSplits: maxSplits, tags: tags, checksPython: !noCheck)
        options.executor = executor
        options.slurm = slurm
        options.usesCache = !noCache
        return RunRequest(spec: launch.spec, plan: launch.plan, specPath: launch.specPath, environments: launch.environments,
                          inputs: inputs, storePath: store.resolved, options: options, startFence: launch.fence)
    }

    /// How the run is shown: live on a terminal, what tasks print as `--quiet` and `--raw` say.
    func console(_ launch: FlowLaunch, for request: RunRequest, store: StoreOption) -> RunConsole {
        RunConsole(launch: launch, request: request, resumeHint: ResumeHint(spec: launch.specArgument, store: store.asGiven),
                   live: Terminal.wantsColor(fileDescriptor: 2), echo: quiet ? .quiet : (raw ? .raw : .prefixed))
    }

    /// Runs the flow; a run that does not complete ends the command with its status.
    func run(_ launch: FlowLaunch, _ inputs: RunRequest.Inputs, store: StoreOption) throws {
        let request = try request(launch, inputs, store: store)
        try FlowLaunch.execute(request, shownBy: console(launch, for: request, store: store))
    }
}

extension ExecutorKind: ExpressibleByArgument {}
