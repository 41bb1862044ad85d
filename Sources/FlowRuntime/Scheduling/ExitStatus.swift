import Glibc

/// How the process an attempt ran in ended, as its executor reports it.
public enum ExitStatus: Sendable, Hashable, CustomStringConvertible {
    case exited(Int32)
    case signaled(Int32)

    public var description: String {
        switch self {
        case let .exited(code): return "exited with status \(code)"
        case let .signaled(signal):
            let names: [Int32: String] = [SIGKILL: "SIGKILL", SIGTERM: "SIGTERM", SIGSEGV: "SIGSEGV",
                                          SIGABRT: "SIGABRT", SIGBUS: "SIGBUS", SIGINT: "SIGINT",
                                          SIGFPE: "SIGFPE", SIGILL: "SIGILL", SIGPIPE: "SIGPIPE", SIGHUP: "SIGHUP"]
            return "was killed by signal \(signal)\(names[signal].map { " (\($0))" } ?? "")"
        }
    }
}
