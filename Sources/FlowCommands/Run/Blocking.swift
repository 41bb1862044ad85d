import Dispatch

/// Runs async work from a synchronous command and waits for it. The command's own thread is
/// not one of the cooperative threads the work runs on, so waiting here blocks nothing else.
func blocking<T: Sendable>(_ work: @escaping @Sendable () async -> T) -> T {
    let box = ResultBox<T>()
    let done = DispatchSemaphore(value: 0)
    Task {
        box.value = await work()
        done.signal()
    }
    done.wait()
    return box.value!
}

/// Written once by the work, read once after the semaphore says it was written.
private final class ResultBox<T>: @unchecked Sendable {
    var value: T?
}
