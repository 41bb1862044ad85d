import Synchronization
import Glibc

/// A request to stop a run (Ctrl-C, SIGTERM): the scheduler stops starting tasks, and whoever
/// runs them is told to stop the ones running.
public final class Interruption: Sendable {
    private let state = Mutex<(count: Int, signal: Int32?, handlers: [@Sendable () -> Void])>((0, nil, []))

    public init() {}

    public var isRequested: Bool { state.withLock { $0.count > 0 } }

    /// The signal of the first request (SIGINT for Ctrl-C), nil before any.
    public var signal: Int32? { state.withLock { $0.signal } }

    /// Records one more request and returns how many there have been; the first runs the handlers.
    @discardableResult
    public func request(signal: Int32 = SIGINT) -> Int {
        let (count, handlers) = state.withLock { state -> (Int, [@Sendable () -> Void]) in
            state.count += 1
            state.signal = state.signal ?? signal
            return (state.count, state.count == 1 ? state.handlers : [])
        }
        handlers.forEach { $0() }
        return count
    }

    /// Runs `handler` at the first request (at once if there was one already).
    public func onRequest(_ handler: @escaping @Sendable () -> Void) {
        let already = state.withLock { state -> Bool in
            if state.count == 0 { state.handlers.append(handler) }
            return state.count > 0
        }
        if already { handler() }
    }
}
