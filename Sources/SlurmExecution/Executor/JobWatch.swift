import Dispatch
import Glibc
import Synchronization

/// How a watched job ended, as far as the watch is concerned.
enum JobEnd: Sendable {
    /// Slurm says it ended (or can never start, and was cancelled for it): its last status.
    case settled(JobStatus)
    /// The controller no longer lists it; what it said last, if it was ever listed.
    case vanished(JobStatus?)
    /// It ran past the exact timeout the scheduler enforces and was cancelled.
    case expired(JobStatus?)
    /// The run was stopped and the job cancelled.
    case stopped(JobStatus?)
    /// Slurm could not be asked about it.
    case unknown(SlurmError)
}

/// The run's jobs, all read with one `squeue` call per poll on a thread of their own: each
/// `wait` returns when its job has settled. It enforces each job's exact timeout (Slurm's is
/// in whole minutes), counted from when the job was first seen running, and cancels a job that
/// can never start.
final class JobWatch: Sendable {
    private struct Watched {
        let continuation: CheckedContinuation<JobEnd, Never>
        let timeout: Double?
        var startedRunning: ContinuousClock.Instant?
        var last: JobStatus?
        /// Why the watch cancelled it (expired, stopped), so that its CANCELLED is read as that.
        var cancelledFor: JobEnd?
        /// Told whether the job waits in the queue, each time that changes.
        let pending: (@Sendable (Bool) -> Void)?
        var shownPending: Bool?
    }

    private struct State {
        var watched: [JobID: Watched] = [:]
        var polling = false
        var stopped = false
    }

    private let client: SlurmClient
    private let interval: Double
    private let state = Mutex(State())
    private let queue = DispatchQueue(label: "flowspec.slurm.watch")

    init(client: SlurmClient, interval: Double) {
        self.client = client
        self.interval = interval
    }

    /// Waits for `job` to end. `timeout`: the seconds it may run once running.
    func wait(for job: JobID, timeout: Double?, pending: (@Sendable (Bool) -> Void)? = nil) async -> JobEnd {
        await withCheckedContinuation { continuation in
            let startPolling = state.withLock { state -> Bool in
                state.watched[job] = Watched(continuation: continuation, timeout: timeout, pending: pending)
                defer { state.polling = true }
                return !state.polling
            }
            if startPolling { queue.async { self.poll() } }
        }
    }

    /// The jobs being watched now.
    var jobs: [JobID] { state.withLock { Array($0.watched.keys) } }

    /// Cancels every watched job (one `scancel`); each wait ends as `stopped`. Jobs submitted
    /// from now on are cancelled as soon as they are watched.
    func stopAll() {
        let jobs = state.withLock { state -> [JobID] in
            state.stopped = true
            for (id, watched) in state.watched where watched.cancelledFor == nil {
                state.watched[id]?.cancelledFor = .stopped(watched.last)
            }
            return Array(state.watched.keys)
        }
        try? client.cancel(jobs)
    }

    /// Polls that may fail in a row (the controller busy or restarting) before the watched
    /// jobs are given up as unknown: about 2 s at 0.2 s a poll.
    static let toleratedFailures = 10

    private func poll() {
        var failures = 0
        while true {
            let jobs = state.withLock { state -> [JobID] in
                if state.watched.isEmpty { state.polling = false }
                return Array(state.watched.keys)
            }
            if jobs.isEmpty { return }
            let listing: Result<[JobID: JobStatus], SlurmError>
            do { listing = .success(try client.statuses(of: jobs)) } catch { listing = .failure(error) }
            failures = if case .failure = listing { failures + 1 } else { 0 }
            if case .failure = listing, failures < Self.toleratedFailures {
                usleep(UInt32(interval * 1_000_000))
                continue
            }
            let (ended, cancel, told) = settle(jobs, listing)
            if !cancel.isEmpty { try? client.cancel(cancel) }
            for tell in told { tell() }
            for (continuation, end) in ended { continuation.resume(returning: end) }
            usleep(UInt32(interval * 1_000_000))
        }
    }

    /// The waits that end with this listing, and the jobs to cancel now.
    /// The waits that end with this listing, the jobs to cancel now, and what to tell of jobs
    /// that entered or left the queue.
    private func settle(_ jobs: [JobID], _ listing: Result<[JobID: JobStatus], SlurmError>)
        -> ([(CheckedContinuation<JobEnd, Never>, JobEnd)], [JobID], [@Sendable () -> Void]) {
        state.withLock { state in
            var ended: [(CheckedContinuation<JobEnd, Never>, JobEnd)] = []
            var cancel: [JobID] = []
            var told: [@Sendable () -> Void] = []
            for id in jobs {
                guard var watched = state.watched[id] else { continue }
                if case let .success(statuses) = listing, let queued = statuses[id]?.state.isQueued,
                   queued != watched.shownPending, let pending = watched.pending {
                    watched.shownPending = queued
                    told.append { pending(queued) }
                }
                let verdict: Verdict
                switch listing {
                case let .failure(error): verdict = .end(.unknown(error))
                case let .success(statuses): verdict = Self.verdict(&watched, statuses[id], stopped: state.stopped)
                }
                switch verdict {
                case .wait: state.watched[id] = watched
                case let .cancel(reason):
                    watched.cancelledFor = reason
                    state.watched[id] = watched
                    cancel.append(id)
                case let .end(end):
                    state.watched[id] = nil
                    ended.append((watched.continuation, end))
                }
            }
            return (ended, cancel, told)
        }
    }

    private enum Verdict {
        case wait
        case cancel(JobEnd)
        case end(JobEnd)
    }

    private static func verdict(_ watched: inout Watched, _ status: JobStatus?, stopped: Bool) -> Verdict {
        guard let status else { return .end(watched.cancelledFor ?? .vanished(watched.last)) }
        watched.last = status
        if status.state.isFinished {
            switch watched.cancelledFor {
            case .expired?: return .end(.expired(status))
            case .stopped?: return .end(.stopped(status))
            case let reason?: return .end(reason)  // a never-runnable job, with its pending reason
            case nil: return .end(.settled(status))
            }
        }
        guard watched.cancelledFor == nil else { return .wait }
        if stopped { return .cancel(.stopped(status)) }
        if status.state.isQueued {
            // Nothing will ever start it: Slurm's answer, once cancelled, is the attempt's failure.
            return PendingReason.isPermanent(status.reason) ? .cancel(.settled(status)) : .wait
        }
        let now = ContinuousClock.now
        let started = watched.startedRunning ?? now
        watched.startedRunning = started
        if let timeout = watched.timeout, now - started >= .milliseconds(Int64(timeout * 1000)) {
            return .cancel(.expired(status))
        }
        return .wait
    }
}
