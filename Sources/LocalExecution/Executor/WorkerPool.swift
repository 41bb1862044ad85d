import Dispatch
import WorkerProtocol
import Glibc
import Synchronization

/// A warm worker and the thread its blocking pipe calls run on, so they never tie up the
/// cooperative threads the scheduler runs on.
final class PooledWorker: Sendable {
    let process: WorkerProcess
    private let queue: DispatchQueue
    private let requestIDs = Mutex(0)

    init(_ process: WorkerProcess) {
        self.process = process
        queue = DispatchQueue(label: "flowspec.worker.\(process.pid)")
    }

    /// Ids only need to match within one worker's pipe.
    func nextRequestID() -> Int {
        requestIDs.withLock { id in
            id += 1
            return id
        }
    }

    func send(_ request: WorkerRequest) async throws -> WorkerResponse {
        try await withCheckedThrowingContinuation { continuation in
            queue.async { [process] in
                continuation.resume(with: Result { try process.send(request) })
            }
        }
    }
}

/// Warm workers, one pool of them per Python environment, started on demand and reused so a
/// module is imported once per worker rather than once per task. At most `capacity` workers
/// live across all environments; when the budget is spent, an idle worker of another
/// environment is stopped to make room. A `fresh` worker is started for one request and
/// stopped after it (a step's `isolate`): it counts against the same budget.
actor WorkerPool {
    private struct Waiter {
        let environment: PythonEnvironment
        let fresh: Bool
        let continuation: CheckedContinuation<PooledWorker, any Error>
    }

    private let capacity: Int
    private var idle: [PythonEnvironment: [PooledWorker]] = [:]
    private var live = 0
    private var waiting: [Waiter] = []
    private var all: [PooledWorker] = []

    init(capacity: Int) {
        self.capacity = max(1, capacity)
    }

    func acquire(_ environment: PythonEnvironment, fresh: Bool = false) async throws -> PooledWorker {
        if !fresh, let worker = idle[environment]?.popLast() { return worker }
        if live >= capacity, let other = idle.first(where: { !$0.value.isEmpty })?.key, let spare = idle[other]?.popLast() {
            retire(spare)
        }
        guard live < capacity else {
            return try await withCheckedThrowingContinuation {
                waiting.append(Waiter(environment: environment, fresh: fresh, continuation: $0))
            }
        }
        return try await startCounted(environment)
    }

    /// A worker done with its request: to a waiter of its environment that takes a warm one,
    /// else idle. When only other waiters remain, it makes room for the first of them.
    func release(_ worker: PooledWorker) async {
        let environment = worker.process.environment
        if let index = waiting.firstIndex(where: { $0.environment == environment && !$0.fresh }) {
            waiting.remove(at: index).continuation.resume(returning: worker)
        } else if !waiting.isEmpty {
            retire(worker)
            await startForFirstWaiter()
        } else {
            idle[environment, default: []].append(worker)
        }
    }

    /// A fresh worker done with its one request: it exits, and its place goes to whoever waits.
    func finish(_ worker: PooledWorker) async {
        retire(worker)
        await startForFirstWaiter()
    }

    /// A worker that died or misbehaved: forget it, and start a replacement for whoever waits.
    func discard(_ worker: PooledWorker) async {
        worker.process.terminate(signal: 9)
        all.removeAll { $0 === worker }
        live -= 1
        await startForFirstWaiter()
    }

    /// Kills every worker at once: the running tasks fail, as a stopped run's should.
    func killAll() {
        for worker in all { worker.process.terminate(signal: SIGKILL) }
    }

    /// Asks every worker to exit, and waits for them.
    func shutDown() {
        for worker in all { worker.process.shutDown(grace: 1) }
        all.removeAll()
        idle.removeAll()
    }

    private func startForFirstWaiter() async {
        guard !waiting.isEmpty else { return }
        let waiter = waiting.removeFirst()
        do {
            waiter.continuation.resume(returning: try await startCounted(waiter.environment))
        } catch {
            waiter.continuation.resume(throwing: error)
        }
    }

    /// Stops an idle worker in the background, freeing its place in the budget now.
    private func retire(_ worker: PooledWorker) {
        all.removeAll { $0 === worker }
        live -= 1
        DispatchQueue.global().async { worker.process.shutDown(grace: 1) }
    }

    private func startCounted(_ environment: PythonEnvironment) async throws -> PooledWorker {
        live += 1
        do {
            let worker = try await start(environment)
            all.append(worker)
            return worker
        } catch {
            live -= 1
            throw error
        }
    }

    private func start(_ environment: PythonEnvironment) async throws -> PooledWorker {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async {
                continuation.resume(with: Result { PooledWorker(try WorkerProcess(environment: environment)) })
            }
        }
    }
}
