import Dispatch
import Synchronization

/// Passes on what running tasks print while they run: ten times a second, the new complete
/// lines of each busy worker's capture go to the sink its task began with. (When a task ends,
/// `OutputCapture.take` passes on the rest, so its lines keep their order.)
final class OutputStreamer: @unchecked Sendable {
    private let busy = Mutex<[ObjectIdentifier: OutputCapture]>([:])
    private let timer = DispatchSource.makeTimerSource(queue: DispatchQueue(label: "flowspec.output"))

    init(every interval: DispatchTimeInterval = .milliseconds(100)) {
        timer.schedule(deadline: .now() + interval, repeating: interval, leeway: .milliseconds(20))
        timer.setEventHandler { [weak self] in
            guard let self else { return }
            for capture in busy.withLock({ Array($0.values) }) { capture.stream() }
        }
        timer.resume()
    }

    deinit { timer.cancel() }

    func watch(_ capture: OutputCapture) {
        _ = busy.withLock { $0.updateValue(capture, forKey: ObjectIdentifier(capture)) }
    }

    func unwatch(_ capture: OutputCapture) {
        _ = busy.withLock { $0.removeValue(forKey: ObjectIdentifier(capture)) }
    }

    func stop() { timer.cancel() }
}
