import Dispatch
#if canImport(Glibc)
import Glibc
#endif
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

/// Up to `capacity` workers of one Python environment, started on demand and reused, so a
/// module is imported once per worker rather than once per task.
actor WorkerPool {
    private let environment: PythonEnvironment
    private let capacity: Int
    private var idle: [PooledWorker] = []
    private var live = 0
    private var waiting: [CheckedContinuation<PooledWorker, any Error>] = []
    private var all: [PooledWorker] = []

    init(environment: PythonEnvironment, capacity: Int) {
        self.environment = environment
        self.capacity = max(1, capacity)
    }

    func acquire() async throws -> PooledWorker {
        if let worker = idle.popLast() { return worker }
        guard live < capacity else {
            return try await withCheckedThrowingContinuation { waiting.append($0) }
        }
        live += 1
        do {
            let worker = try await start()
            all.append(worker)
            return worker
        } catch {
            live -= 1
            throw error
        }
    }

    func release(_ worker: PooledWorker) {
        if waiting.isEmpty {
            idle.append(worker)
        } else {
            waiting.removeFirst().resume(returning: worker)
        }
    }

    /// A worker that died or misbehaved: forget it, and start a replacement for whoever waits.
    func discard(_ worker: PooledWorker) async {
        worker.process.terminate(signal: 9)
        all.removeAll { $0 === worker }
        live -= 1
        guard !waiting.isEmpty else { return }
        let waiter = waiting.removeFirst()
        live += 1
        do {
            let replacement = try await start()
            all.append(replacement)
            waiter.resume(returning: replacement)
        } catch {
            live -= 1
            waiter.resume(throwing: error)
        }
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

    private func start() async throws -> PooledWorker {
        let environment = self.environment
        return try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async {
                continuation.resume(with: Result { PooledWorker(try WorkerProcess(environment: environment)) })
            }
        }
    }
}
