import Dispatch
import FlowBasics
import FlowStore
import Glibc
import LocalExecution
import Synchronization
import WorkerProtocol
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Makes the previews of stored values (`ValuePreview`) in Python workers, each in the
/// environment the value was made in, and keeps them in the store's `PreviewCache`. This
/// process never unpickles anything. A preview is bounded in time (a worker that takes longer
/// is killed) and by the value's size; the document a worker returns is bounded by the worker.
public final class PreviewMaker: Sendable {
    public let store: String
    /// Seconds a preview may take.
    public let timeout: Double
    /// Values whose blob is larger than this are not loaded at all.
    public let largestValue: Int64
    private let cache: PreviewCache
    /// One warm worker per interpreter, used by one preview at a time.
    private let workers = Mutex<[String: WorkerSlot]>([:])
    private let flowspecExecutable: String

    public init(store: String, timeout: Double = 20, largestValue: Int64 = 1 << 30,
                flowspecExecutable: String = WorkerProcess.currentExecutable) {
        self.store = store
        self.timeout = timeout
        self.largestValue = largestValue
        self.cache = PreviewCache(layout: StoreLayout(root: store))
        self.flowspecExecutable = flowspecExecutable
    }

    deinit { shutDown() }

    /// The preview of `value`, made with `interpreter` (the environment it was made in) and the
    /// run's code snapshot; a failure says why there is none.
    public func preview(of value: ArtifactRef, interpreter: String, run: RunID, code: [CodeFileRecord]) -> Result<ValuePreview, PreviewFailure> {
        if let cached = cache.preview(of: value.blob) { return .success(cached) }
        guard value.size <= largestValue else {
            return .failure(PreviewFailure("a value of \(value.size) bytes is larger than previews load (\(largestValue) bytes)"))
        }
        let slot = workers.withLock { $0[interpreter, default: WorkerSlot()] }
        workers.withLock { $0[interpreter] = slot }
        let request = WorkerRequest.preview(ValueRequest(
            id: 1, store: store, value: .blob(value.blob), run: run.rawValue,
            code: code.map { CodeFileRef(path: $0.path, blob: $0.blob, module: $0.module) }))
        let made = slot.send(request, interpreter: interpreter, timeout: timeout, executable: flowspecExecutable)
        if case .success(let preview) = made { cache.keep(preview, of: value.blob) }
        return made
    }

    /// Stops every worker.
    public func shutDown() {
        let slots = workers.withLock { slots in
            defer { slots = [:] }
            return Array(slots.values)
        }
        for slot in slots { slot.stop() }
    }
}

/// Why a value has no preview.
public struct PreviewFailure: Error, CustomStringConvertible, Sendable {
    public let description: String
    public init(_ description: String) { self.description = description }
}

/// One interpreter's worker, started when first needed and started again after it died.
final class WorkerSlot: Sendable {
    private let worker = Mutex<WorkerProcess?>(nil)

    func send(_ request: WorkerRequest, interpreter: String, timeout: Double, executable: String) -> Result<ValuePreview, PreviewFailure> {
        worker.withLock { worker -> Result<ValuePreview, PreviewFailure> in
            do {
                if worker == nil {
                    worker = try WorkerProcess(environment: try PythonEnvironment.discover(executable: interpreter),
                                               flowspecExecutable: executable)
                }
                guard let process = worker else { return .failure(PreviewFailure("no worker")) }
                let watchdog = Watchdog(after: timeout) { process.terminate(signal: SIGKILL) }
                defer { watchdog.cancel() }
                do {
                    return Self.decode(try process.send(request))
                } catch {
                    worker = nil
                    process.shutDown(grace: 0)
                    return .failure(PreviewFailure(watchdog.fired ? "it took longer than \(Int(timeout)) s" : "\(error)"))
                }
            } catch {
                return .failure(PreviewFailure("\(error)"))
            }
        }
    }

    private static func decode(_ response: WorkerResponse) -> Result<ValuePreview, PreviewFailure> {
        if let error = response.error, response.status == .failed {
            return .failure(PreviewFailure(error.message))
        }
        guard let document = response.preview else { return .failure(PreviewFailure("the worker sent no preview")) }
        var json = JSONWriter()
        json.value(document)
        do {
            return .success(try JSONDecoder().decode(ValuePreview.self, from: Data(json.bytes)))
        } catch {
            return .failure(PreviewFailure("the worker's preview does not read: \(error)"))
        }
    }

    func stop() {
        worker.withLock { worker in
            worker?.shutDown()
            worker = nil
        }
    }
}

/// Runs `action` once `after` seconds have passed, unless cancelled first.
final class Watchdog: Sendable {
    private let state = Mutex<(cancelled: Bool, fired: Bool)>((false, false))

    init(after seconds: Double, action: @escaping @Sendable () -> Void) {
        DispatchQueue.global().asyncAfter(deadline: .now() + .milliseconds(Int(seconds * 1000))) { [self] in
            let fire = self.state.withLock { state -> Bool in
                guard !state.cancelled else { return false }
                state.fired = true
                return true
            }
            if fire { action() }
        }
    }

    var fired: Bool { state.withLock { $0.fired } }

    func cancel() { state.withLock { $0.cancelled = true } }
}
