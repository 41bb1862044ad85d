import ArgumentParser
import FlowRuntime
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The options `run` and `resume` share.
struct RunOptions: ParsableArguments {
    @Option(help: "How many tasks run at once (default: the number of cores).")
    var maxWorkers: Int?

    @Option(help: "The most tasks one foreach may fan out to.")
    var maxSplits = 100_000

    @Option(name: .customLong("tag"), help: ArgumentHelp("A tag recorded with the run; repeat for several.", valueName: "tag"))
    var tags: [String] = []

    @Flag(name: .shortAndLong, help: "Do not show what tasks print (it is still stored: see the task's attempts).")
    var quiet = false

    @Flag(help: "Show what tasks print as printed, without the task prefix (for JSON logs).")
    var raw = false

    func validate() throws {
        if quiet && raw { throw ValidationError("--quiet and --raw exclude each other") }
        if let maxWorkers, maxWorkers < 1 { throw ValidationError("--max-workers must be at least 1") }
        guard maxSplits >= 1 else { throw ValidationError("--max-splits must be at least 1") }
    }

    func session(_ launch: FlowLaunch, params: [String: ParamInput], store: String, origin: ResumeOrigin? = nil) -> RunSession {
        RunSession(
            specPath: launch.specPath, spec: launch.spec, plan: launch.plan, params: params, environments: launch.environments,
            storePath: store, maxWorkers: maxWorkers ?? ProcessInfo.processInfo.activeProcessorCount,
            maxSplits: maxSplits, tags: tags, live: Terminal.wantsColor(fileDescriptor: 2),
            echo: quiet ? .quiet : (raw ? .raw : .prefixed), interruption: Interruption(), origin: origin)
    }
}
