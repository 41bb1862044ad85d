import FlowRuntime
import Glibc

/// A program run to its end with its output collected: what building an environment runs
/// (`uv`, `python -m venv`, `pip`).
struct ProgramRun {
    let status: ExitStatus
    /// Its stdout, and its stderr too when they were merged.
    let output: String

    var succeeded: Bool { status == .exited(0) }

    /// Runs `arguments` (the program searched on PATH when it has no slash) with stdin empty.
    /// `mergeStderr: false` discards stderr.
    static func run(_ arguments: [String], env: [String: String] = Spawn.currentEnv,
                    mergeStderr: Bool = true) throws(SpawnError) -> ProgramRun {
        let output = try Spawn.pipe()
        let devNull = open("/dev/null", O_RDWR | O_CLOEXEC)
        defer { close(devNull) }
        let pid: pid_t
        do {
            pid = try Spawn.start(arguments, env: env, stdin: devNull, stdout: output.write,
                                  stderr: mergeStderr ? output.write : devNull)
        } catch {
            close(output.read)
            close(output.write)
            throw error
        }
        close(output.write)
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let got = chunk.withUnsafeMutableBytes { read(output.read, $0.baseAddress, $0.count) }
            if got < 0 && errno == EINTR { continue }
            if got <= 0 { break }
            bytes += chunk[..<got]
        }
        close(output.read)
        return ProgramRun(status: Spawn.wait(pid), output: String(decoding: bytes, as: UTF8.self))
    }

    /// The path of the first executable file `program` in PATH's folders.
    static func which(_ program: String, env: [String: String] = Spawn.currentEnv) -> String? {
        (env["PATH"] ?? "").split(separator: ":").map { "\($0)/\(program)" }.first { access($0, X_OK) == 0 }
    }
}
