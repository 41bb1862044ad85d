import Foundation

/// The pid a step wrote to `file`, waited for up to 20 s; nil if none came.
func waitForPID(in file: URL) -> Int32? {
    let deadline = Date().addingTimeInterval(20)
    while Date() < deadline {
        if let text = try? String(contentsOf: file, encoding: .utf8), let pid = Int32(text) { return pid }
        usleep(50_000)
    }
    return nil
}

/// Whether process `pid` runs (a zombie, dead but not yet reaped, does not).
func isAlive(_ pid: Int32) -> Bool {
    guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
          let close = stat.lastIndex(of: ")") else { return false }
    return !stat[close...].hasPrefix(") Z")
}

/// Waits up to `seconds` for process `pid` to end; whether it did.
func waitUntilGone(_ pid: Int32, seconds: Double = 5) -> Bool {
    let deadline = Date().addingTimeInterval(seconds)
    while isAlive(pid), Date() < deadline { usleep(50_000) }
    return !isAlive(pid)
}
