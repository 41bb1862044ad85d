import Dispatch
import FlowRuntime
import Glibc
import Synchronization

/// The pilots of one Slurm step (`slurm.pilots: N`): up to N jobs that each connect back to the
/// scheduler and run the step's tasks one after another, as a warm local worker does. Tasks wait
/// here for a free pilot; pilots are submitted while tasks wait for more than the pilots already
/// queued can take, and told to end (their connection closed) as soon as the step can have no
/// further task. A pilot that ends before it connects fails the oldest waiting task with the
/// job's state and reason, so a pilot that can never run fails tasks as jobs that can never run
/// do, one attempt each, and `retry` applies. A pilot lost during a task fails that task with the
/// job's end as Slurm reports it.
final class PilotCrew: Sendable {
    /// What the crew needs of its executor: submitting a pilot job for a task's step, watching it.
    struct Launch: Sendable {
        let submit: @Sendable (TaskRequest, [String: String]) -> Result<SubmittedPilot, SubmitError>
        let watch: JobWatch
        let cancel: @Sendable ([JobID]) -> Void
        let result: @Sendable ([UInt8]) throws -> TaskResult
        let pending: (@Sendable (TaskKey, Bool) -> Void)?
    }

    /// A submitted pilot job and where Slurm writes its stderr (in `jobs/RUN/`, removed with
    /// the run's job folder when the run ends: a lost pilot's failure may still read it).
    struct SubmittedPilot: Sendable {
        let id: JobID
        let errorFile: String
    }

    private struct Work: Sendable {
        let request: TaskRequest
        let payload: [UInt8]
        let env: [String: String]
        let continuation: CheckedContinuation<TaskResult, Never>
    }

    private final class Pilot: Sendable {
        let job: SubmittedPilot
        /// Work handed to it while it waited; nil when woken to end.
        let handed = Mutex<Work?>(nil)
        let wake = DispatchSemaphore(value: 0)
        let end = Mutex<JobEnd?>(nil)
        let ended = DispatchSemaphore(value: 0)
        init(_ job: SubmittedPilot) { self.job = job }
    }

    private struct State {
        var waiting = Deque<Work>()
        var idle: [Pilot] = []
        /// Submitted and not yet ended, by job.
        var pilots: [JobID: Pilot] = [:]
        var connected: Set<JobID> = []
        /// Pilots told to end, or cancelled as not needed: their end fails nothing.
        var released: Set<JobID> = []
        var submitting = 0
        var drained = false
        var stopped: String?
    }

    let step: String
    private let size: Int
    private let launch: Launch
    private let state = Mutex(State())

    init(step: String, size: Int, launch: Launch) {
        self.step = step
        self.size = size
        self.launch = launch
    }

    func run(_ request: TaskRequest, payload: [UInt8], env: [String: String]) async -> TaskResult {
        await withCheckedContinuation { continuation in
            let work = Work(request: request, payload: payload, env: env, continuation: continuation)
            enum Next { case stopped(String), handed(Pilot), queued(Int) }
            let next = state.withLock { state -> Next in
                if let reason = state.stopped { return .stopped(reason) }
                state.drained = false
                if let pilot = state.idle.popLast() {
                    pilot.handed.withLock { $0 = work }
                    return .handed(pilot)
                }
                state.waiting.append(work)
                return .queued(Self.pilotsWanted(&state, size: size))
            }
            switch next {
            case let .stopped(reason): continuation.resume(returning: Self.failed(.interrupted, reason))
            case let .handed(pilot): pilot.wake.signal()
            case let .queued(wanted):
                launch.pending?(request.key, true)
                submit(wanted, for: work)
            }
        }
    }

    /// The step can have no further task: idle pilots end now, queued ones are cancelled.
    func drain() {
        let (idle, unconnected) = state.withLock { state -> ([Pilot], [JobID]) in
            state.drained = true
            let idle = state.idle
            state.idle = []
            let unconnected = state.waiting.isEmpty ? state.pilots.keys.filter { !state.connected.contains($0) } : []
            state.released.formUnion(idle.map(\.job.id) + unconnected)
            return (idle, unconnected)
        }
        for pilot in idle { pilot.wake.signal() }
        if !unconnected.isEmpty { launch.cancel(unconnected) }
    }

    /// The run stops: waiting tasks fail as `interrupted`, idle pilots end (the executor cancels
    /// every job of the run).
    func stop(reason: String) {
        let (waiting, idle) = state.withLock { state -> ([Work], [Pilot]) in
            state.stopped = state.stopped ?? reason
            var waiting: [Work] = []
            while let work = state.waiting.popFirst() { waiting.append(work) }
            let idle = state.idle
            state.idle = []
            return (waiting, idle)
        }
        for work in waiting { work.continuation.resume(returning: Self.failed(.interrupted, reason)) }
        for pilot in idle { pilot.wake.signal() }
    }

    /// A pilot of this step connected: it serves tasks on a thread of its own until told to end.
    func attach(_ connection: PilotSocket, _ hello: PilotHello) {
        guard let id = JobID(parsing: hello.job) else { return connection.close() }
        let pilot = state.withLock { state -> Pilot? in
            guard let pilot = state.pilots[id], !state.released.contains(id) else { return nil }
            state.connected.insert(id)
            return pilot
        }
        guard let pilot else { return connection.close() }
        DispatchQueue(label: "flowspec.pilot.\(id)").async {
            self.serve(pilot, node: hello.node, over: connection)
        }
    }

    // MARK: - Pilots

    /// How many more pilots to submit now: enough for the waiting tasks beyond those the
    /// unconnected pilots will take, within `size` live at once.
    private static func pilotsWanted(_ state: inout State, size: Int) -> Int {
        let live = state.pilots.count - state.released.intersection(state.pilots.keys).count + state.submitting
        let coming = state.pilots.keys.filter { !state.connected.contains($0) && !state.released.contains($0) }.count
            + state.submitting
        let wanted = max(0, min(size - live, state.waiting.count - coming))
        state.submitting += wanted
        return wanted
    }

    private func submit(_ count: Int, for work: Work) {
        guard count > 0 else { return }
        DispatchQueue.global().async { [self] in
            for _ in 0..<count { submitOne(for: work) }
        }
    }

    private func submitOne(for work: Work) {
        let submitted = launch.submit(work.request, work.env)
        let outcome = state.withLock { state -> (Pilot?, Work?) in
            state.submitting -= 1
            switch submitted {
            case let .success(job):
                let pilot = Pilot(job)
                state.pilots[job.id] = pilot
                if state.drained || state.stopped != nil { state.released.insert(job.id) }
                return (pilot, nil)
            case .failure:
                return (nil, state.waiting.popFirst())
            }
        }
        if let pilot = outcome.0 {
            if state.withLock({ $0.released.contains(pilot.job.id) }) { launch.cancel([pilot.job.id]) }
            Task { self.ended(pilot, await launch.watch.wait(for: pilot.job.id, timeout: nil)) }
        }
        if let failed = outcome.1, case let .failure(error) = submitted {
            let result = switch error {
            case let .refused(failure): Self.failed(.worker, failure.description)
            case let .slurm(error): Self.failed(.worker, "could not submit a Slurm pilot job: \(error)")
            }
            failed.continuation.resume(returning: result)
        }
    }

    /// A pilot's job ended. One that never connected, and was not released, fails the oldest
    /// waiting task with why; then pilots are submitted again for what still waits.
    private func ended(_ pilot: Pilot, _ end: JobEnd) {
        pilot.end.withLock { $0 = end }
        pilot.ended.signal()
        let (failed, wanted, next) = state.withLock { state -> (Work?, Int, Work?) in
            let id = pilot.job.id
            let counts = !state.connected.contains(id) && !state.released.contains(id) && state.stopped == nil
            state.pilots[id] = nil
            state.connected.remove(id)
            state.released.remove(id)
            let failed = counts ? state.waiting.popFirst() : nil
            guard state.stopped == nil, let next = state.waiting.first else { return (failed, 0, nil) }
            return (failed, Self.pilotsWanted(&state, size: size), next)
        }
        if let failed { failed.continuation.resume(returning: unconnectedFailure(pilot, end)) }
        if let next { submit(wanted, for: next) }
    }

    private func unconnectedFailure(_ pilot: Pilot, _ end: JobEnd) -> TaskResult {
        let id = pilot.job.id
        var result = failure(of: end, pilot: pilot, during: "before it connected back to the scheduler")
        let said = PilotLog.tail(of: pilot.job.errorFile)
        if result.failure?.kind == .lost, !said.isEmpty {
            result = Self.failed(.lost, "Slurm pilot job \(id) ended before it connected back to the scheduler: \(said)")
        }
        result.job = AttemptJob(id: id.description, node: end.status?.nodes, state: end.status?.state.rawValue)
        return result
    }

    // MARK: - Serving tasks

    private func serve(_ pilot: Pilot, node: String, over connection: PilotSocket) {
        while let work = next(for: pilot) {
            launch.pending?(work.request.key, false)
            let (result, lost) = exchange(work, pilot: pilot, node: node, over: connection)
            work.continuation.resume(returning: result)
            if lost { return }
        }
        connection.close()
    }

    /// The next task for `pilot`, waiting for one; nil when it is to end.
    private func next(for pilot: Pilot) -> Work? {
        let now = state.withLock { state -> (work: Work?, wait: Bool) in
            if state.stopped != nil { return (nil, false) }
            if let work = state.waiting.popFirst() { return (work, false) }
            if state.drained {
                state.released.insert(pilot.job.id)
                return (nil, false)
            }
            state.idle.append(pilot)
            return (nil, true)
        }
        guard now.wait else { return now.work }
        pilot.wake.wait()
        return pilot.handed.withLock { work in
            defer { work = nil }
            return work
        }
    }

    /// Sends one task and reads what it printed and its response. A broken connection is a
    /// failed attempt with the pilot's end as Slurm tells it (`lost` true: the pilot is gone).
    private func exchange(_ work: Work, pilot: Pilot, node: String, over connection: PilotSocket) -> (TaskResult, lost: Bool) {
        let id = pilot.job.id
        let job = AttemptJob(id: id.description, node: node, state: "RUNNING")
        let expired = Atomic(false)
        let done = Atomic(false)
        if let timeout = work.request.timeout {
            DispatchQueue.global().asyncAfter(deadline: .now() + timeout) { [launch] in
                guard !done.load(ordering: .relaxed) else { return }
                expired.store(true, ordering: .relaxed)
                launch.cancel([id])
            }
        }
        defer { done.store(true, ordering: .relaxed) }
        do {
            try connection.send(work.payload)
            guard let printedFrame = try connection.receive(), let response = try connection.receive() else {
                throw PilotSocketError.failed("the connection closed")
            }
            let printed = try PilotPrinted(payload: printedFrame)
            var result = try launch.result(response)
            result.stdout = printed.stdout
            result.stderr = printed.stderr
            result.job = job
            return (result, false)
        } catch {
            connection.close()  // a pilot still running sees it and exits
            // Slurm's word on how the job ended; one that has not ended by then is cancelled.
            if pilot.ended.wait(timeout: .now() + 10) == .timedOut { launch.cancel([id]) }
            var result: TaskResult
            if let reason = state.withLock({ $0.stopped }) {
                result = Self.failed(.interrupted, reason)
            } else if expired.load(ordering: .relaxed) {
                let limit = work.request.timeout.map(SlurmExecutor.seconds) ?? "?"
                result = Self.failed(.timeout, "the attempt ran longer than its timeout of \(limit) and was stopped (Slurm pilot job \(id) cancelled)")
            } else {
                result = failure(of: pilot.end.withLock { $0 }, pilot: pilot, during: "during the task, on \(node)")
            }
            var lostJob = job
            lostJob.state = pilot.end.withLock { $0?.status?.state.rawValue } ?? job.state
            result.job = lostJob
            return (result, true)
        }
    }

    /// The attempt's failure for a pilot that ended `end` (nil: not known yet) `during` what;
    /// its stderr tells a kill for memory where Slurm's state does not.
    private func failure(of end: JobEnd?, pilot: Pilot, during: String) -> TaskResult {
        let id = pilot.job.id
        if case let .settled(status)? = end,
           case let .failed(failure) = JobOutcome(status, errorOutput: PilotLog.end(of: pilot.job.errorFile)) {
            return Self.failed(SlurmExecutor.kind(of: failure.kind), "Slurm pilot job \(id) ended \(during): \(failure)")
        }
        return Self.failed(.lost, "Slurm pilot job \(id) lost its connection to the scheduler \(during)")
    }

    static func failed(_ kind: FailureKind, _ message: String) -> TaskResult { SlurmExecutor.failed(kind, message) }
}

extension JobEnd {
    /// What Slurm said of the job last, when it said anything.
    var status: JobStatus? {
        switch self {
        case let .settled(status): status
        case let .vanished(status), let .expired(status), let .stopped(status): status
        case .unknown: nil
        }
    }
}

/// What a pilot wrote to its stderr: why it could not connect, or what killed it.
enum PilotLog {
    /// Its last line.
    static func tail(of path: String) -> String {
        end(of: path).split(separator: "\n").last(where: { !$0.allSatisfy(\.isWhitespace) }).map(String.init) ?? ""
    }

    /// Its last 2 KiB.
    static func end(of path: String) -> String {
        guard let fd = Optional(open(path, O_RDONLY | O_CLOEXEC)), fd >= 0 else { return "" }
        defer { close(fd) }
        var bytes = [UInt8](repeating: 0, count: 2048)
        let size = lseek(fd, 0, SEEK_END)
        lseek(fd, max(0, size - off_t(bytes.count)), SEEK_SET)
        let count = read(fd, &bytes, bytes.count)
        guard count > 0 else { return "" }
        return String(decoding: bytes[..<count], as: UTF8.self)
    }
}
