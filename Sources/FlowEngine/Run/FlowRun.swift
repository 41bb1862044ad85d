import FlowBasics
import FlowGraph
import FlowRuntime
import FlowStore
import LocalExecution
import Glibc
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// One run of a flow, from the check of its steps' Python to its end recorded in the store:
/// the params stored, the run and its steps recorded, the scheduler run with every task
/// recorded as it goes, and the run's end. Built from plain values so it can cross into the
/// async world; everything with state is made inside `execute`.
public struct FlowRun: Sendable {
    public let request: RunRequest
    private let makeExecutor: MakeExecutor

    /// - Parameter executor: makes the executor tasks run in, once the run's code is known.
    public init(_ request: RunRequest, executor: @escaping MakeExecutor = FlowRun.standardExecutor) {
        self.request = request
        makeExecutor = executor
    }

    private var options: RunRequest.Options { request.options }

    /// Runs the flow to its end and says how it ended; `events` hears of it as it goes.
    public func execute(events: any FlowRunEvents = UnheardEvents()) async -> FlowRunOutcome {
        let started = Date()
        guard let main = request.environments.interpreters[request.environments.main] else { return .notStarted(.noInterpreter) }
        let snapshot = CodeSnapshot(plan: request.plan, specFolder: request.specFolder)
        let printed: PrintedLines? = events.wantsOutput ? { @Sendable key, stream, text in events.printed(key, stream, text) } : nil
        let executor = makeExecutor(ExecutorSetup(request: request, main: main, code: snapshot.refs + (request.resume?.code ?? []),
                                                  printed: printed, pending: { events.taskPending($0, $1) }))
        stopOnInterruption(executor)
        if let refusal = await check(using: executor, events) {
            await executor.shutDown()
            return .notStarted(refusal)
        }
        do {
            let (run, outcome) = try await carryOut(using: executor, python: main, code: snapshot, events: events)
            await executor.shutDown()
            return .finished(FinishedRun(run: run, outcome: outcome, seconds: Date().timeIntervalSince(started)))
        } catch {
            await executor.shutDown()
            return .failed((error as? TaskFailure)?.message ?? "\(error)")
        }
    }

    /// A stop (Ctrl-C, SIGTERM) ends the running attempts, each failing as `interrupted`.
    private func stopOnInterruption(_ executor: any RunExecutor) {
        let interruption = options.interruption
        interruption.onRequest {
            let name = interruption.signal == SIGTERM ? "SIGTERM" : "Ctrl-C"
            Task { await executor.stopWorkers(reason: "the run was stopped (\(name)) while this attempt ran") }
        }
    }

    /// The check of the steps' Python, unless it is off: why the run may not start, if it may not.
    private func check(using executor: any RunExecutor, _ events: any FlowRunEvents) async -> NotStarted? {
        guard options.checksPython else { return nil }
        let diagnostics: [Diagnostic]
        do {
            diagnostics = try await DeepCheck(request: request).diagnostics(using: executor)
        } catch {
            return .checkUnavailable(error.message)
        }
        events.checked(diagnostics)
        let errors = diagnostics.count { $0.severity == .error }
        return errors == 0 ? nil : .checkFailed(errors: errors)
    }

    /// Stores the params, records the run, runs it and records its end: the run and how it ended.
    private func carryOut(using executor: any RunExecutor, python: PythonEnvironment, code: CodeSnapshot,
                          events: any FlowRunEvents) async throws -> (RunID, RunOutcome) {
        let store = try Self.openStore(at: request.storePath)
        let fingerprints = stepFingerprints(code)
        let (run, params) = try await record(in: store, using: executor, python: python, code: code, fingerprints: fingerprints)
        executor.began(run: run.rawValue, of: request.plan.flowName, resuming: request.resume?.run.rawValue)
        events.began(run)
        let (outcome, problem) = await schedule(run, params: params, executor: executor, fingerprints: fingerprints, store: store,
                                                events: events)
        try store.finishRun(run, status: RunStatus(outcome.status), failure: failure(outcome))
        if let problem { throw problem }
        return (run, outcome)
    }

    /// The store, once the runs of this host whose scheduler is gone are marked interrupted and
    /// the temporary files of gone writers removed.
    private static func openStore(at path: String) throws -> StoreWriter {
        let store = try StoreWriter(path: path)
        _ = try? store.markInterruptedRuns()
        store.removeAbandonedTemporaryFiles()
        return store
    }

    /// Stores the params and records the run, holding the store's fence (`StoreFence`) until
    /// the record has committed: until then `flowspec gc` would see nothing naming the blobs,
    /// environments and origin run this run relies on.
    private func record(in store: StoreWriter, using executor: any RunExecutor, python: PythonEnvironment,
                        code: CodeSnapshot, fingerprints: [String: StepFingerprint]) async throws -> (RunID, [String: ArtifactRef]) {
        let fence = request.startFence ?? StoreFence.shared(store: request.storePath)
        defer { fence?.release() }
        let params = try await storedParams(executor)
        return (try begin(store, params: params, python: python, code: code, fingerprints: fingerprints), params)
    }

    private func storedParams(_ executor: any RunExecutor) async throws -> [String: ArtifactRef] {
        switch request.inputs {
        case .params(let values): try await executor.put(values)
        case .resume(let resumed): resumed.params
        }
    }

    /// Runs the plan, every task recorded as it starts and ends: how the run ended, and the
    /// first store error.
    private func schedule(_ run: RunID, params: [String: ArtifactRef], executor: any RunExecutor, fingerprints: [String: StepFingerprint],
                          store: StoreWriter, events: any FlowRunEvents) async -> (RunOutcome, (any Error)?) {
        let reasons = ReasonFinder(store: request.storePath, flow: request.plan.flowName, run: run, origin: request.resume?.run,
                                   fingerprints: fingerprints)
        let recorder = RunRecorder(store: store, run: run, reasons: reasons, heartbeatInterval: options.heartbeatInterval)
        let outcome = await scheduler(executor, fingerprints: fingerprints).run(params: params, observer: Observers([events, recorder]))
        events.tasksEnded()
        return (outcome, recorder.finish())
    }

    func stepFingerprints(_ code: CodeSnapshot) -> [String: StepFingerprint] {
        StepFingerprints.of(request.plan, code: code, environments: request.environments, specFolder: request.specFolder)
    }

    private func scheduler(_ executor: any RunExecutor, fingerprints: [String: StepFingerprint]) -> Scheduler {
        var scheduler = Scheduler(plan: request.plan, executor: executor, maxWorkers: options.maxWorkers, maxSplits: options.maxSplits,
                                  callerEnv: options.callerEnv)
        scheduler.interruption = options.interruption
        scheduler.resourceLimits = options.resourceLimits
        scheduler.stepFingerprints = fingerprints.mapValues(\.hash)
        scheduler.reuse = StoreReuse(request: request, fingerprints: fingerprints, useCache: options.usesCache)
        return scheduler
    }
}
