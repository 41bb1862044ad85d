import Glibc

/// The few operating-system facts the store records: time, this process, this host.
enum System {
    /// Milliseconds since 1970-01-01T00:00:00Z.
    static func nowMilliseconds() -> Int64 {
        var spec = timespec()
        clock_gettime(CLOCK_REALTIME, &spec)
        return Int64(spec.tv_sec) * 1000 + Int64(spec.tv_nsec) / 1_000_000
    }

    static var processID: Int32 { getpid() }

    static var hostName: String {
        var buffer = [CChar](repeating: 0, count: 256)
        guard gethostname(&buffer, buffer.count - 1) == 0 else { return "localhost" }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// Who runs this process: `$USER`, else `$LOGNAME` (the client's default namespace reads them
    /// so too), else the password database's name for the real uid, else that uid's number.
    static var userName: String {
        userName { getenv($0).map { String(cString: $0) } }
    }

    static func userName(environment: (String) -> String?) -> String {
        for key in ["USER", "LOGNAME"] {
            if let value = environment(key), !value.isEmpty { return value }
        }
        let uid = getuid()
        guard let entry = getpwuid(uid), let name = entry.pointee.pw_name, name.pointee != 0 else { return String(uid) }
        return String(cString: name)
    }

    /// When process `pid` started, in clock ticks since boot (field 22 of `/proc/PID/stat`);
    /// nil where there is no `/proc` or no such process. With the pid it names one process,
    /// even after the pid is reused.
    static func processStart(_ pid: Int32) -> Int64? {
        guard let bytes = try? FileIO.read("/proc/\(pid)/stat") else { return nil }
        let text = String(decoding: bytes, as: UTF8.self)
        // The command name (field 2) is in parentheses and may hold spaces: split after the last ')'.
        guard let close = text.lastIndex(of: ")") else { return nil }
        let fields = text[text.index(after: close)...].split(separator: " ")
        // fields[0] is field 3 (state), so field 22 is fields[19].
        guard fields.count > 19 else { return nil }
        return Int64(fields[19])
    }

    /// Whether process `pid`, which started at `start` (when known), is still running here.
    static func isAlive(pid: Int32, start: Int64?) -> Bool {
        guard pid > 0 else { return false }
        if kill(pid, 0) != 0 && errno == ESRCH { return false }
        if let start, let current = processStart(pid), current != start { return false }
        return true
    }

    static func errorText(_ code: Int32) -> String {
        String(cString: strerror(code))
    }

    /// A UTC calendar date and time, for run ids.
    static func utcComponents(milliseconds: Int64) -> (year: Int, month: Int, day: Int, hour: Int, minute: Int, second: Int) {
        var seconds = time_t(milliseconds / 1000)
        var parts = tm()
        gmtime_r(&seconds, &parts)
        return (Int(parts.tm_year) + 1900, Int(parts.tm_mon) + 1, Int(parts.tm_mday),
                Int(parts.tm_hour), Int(parts.tm_min), Int(parts.tm_sec))
    }
}

extension System {
    static func sleep(milliseconds: Int) {
        usleep(useconds_t(milliseconds * 1000))
    }
}
