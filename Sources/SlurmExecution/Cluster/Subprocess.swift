import Glibc

/// A command run to its end, its stdout and stderr read apart.
public struct CommandOutput: Hashable, Sendable {
    /// The `waitpid` status: 0 when it exited with 0.
    public let status: Int32
    public let stdout: String
    public let stderr: String

    public init(status: Int32, stdout: String, stderr: String) {
        self.status = status
        self.stdout = stdout
        self.stderr = stderr
    }

    public var succeeded: Bool { status == 0 }
}

/// Runs Slurm's commands. The real one spawns them; tests give one that answers with output
/// captured from a real cluster.
public protocol CommandRunner: Sendable {
    func run(_ arguments: [String]) throws(SlurmError) -> CommandOutput
}

/// posix_spawn, never fork (the scheduler runs threads), with stdin empty and both outputs
/// read as they come, so that neither pipe fills while the other is read.
public struct Subprocess: CommandRunner {
    /// The env the commands get: SLURM_CONF and PATH matter.
    public let env: [String: String]

    public init(env: [String: String]) { self.env = env }

    public func run(_ arguments: [String]) throws(SlurmError) -> CommandOutput {
        let out = try Self.pipe(arguments[0]), err = try Self.pipe(arguments[0])
        let devNull = open("/dev/null", O_RDONLY | O_CLOEXEC)
        defer { close(devNull) }
        let pid: pid_t
        do { pid = try spawn(arguments, stdin: devNull, stdout: out.write, stderr: err.write) } catch {
            [out.read, out.write, err.read, err.write].forEach { close($0) }
            throw error
        }
        close(out.write)
        close(err.write)
        let (stdout, stderr) = Self.drain(out.read, err.read)
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        return CommandOutput(status: status, stdout: stdout, stderr: stderr)
    }

    private func spawn(_ arguments: [String], stdin: Int32, stdout: Int32, stderr: Int32) throws(SlurmError) -> pid_t {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        for (source, target) in [(stdin, STDIN_FILENO), (stdout, STDOUT_FILENO), (stderr, STDERR_FILENO)] {
            posix_spawn_file_actions_adddup2(&actions, source, target)
        }
        let argv = arguments.map { strdup($0) } + [nil]
        let envp = env.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { (argv + envp).forEach { free($0) } }
        var pid: pid_t = 0
        // posix_spawnp searches the PATH of this process, not of `env`: look it up there.
        let program = arguments[0].contains("/") ? arguments[0] : Self.find(arguments[0], in: env["PATH"])
        let code = posix_spawn(&pid, program, &actions, nil, argv, envp)
        guard code == 0 else { throw .cannotStart(program: arguments[0], reason: String(cString: strerror(code))) }
        return pid
    }

    /// The first executable `program` in `path`'s folders; `program` itself when none is, so
    /// that spawning it fails with "No such file or directory".
    static func find(_ program: String, in path: String?) -> String {
        let folders = (path ?? "/usr/local/bin:/usr/bin:/bin").split(separator: ":")
        return folders.map { "\($0)/\(program)" }.first { access($0, X_OK) == 0 } ?? program
    }

    private static func pipe(_ program: String) throws(SlurmError) -> (read: Int32, write: Int32) {
        var ends: [Int32] = [0, 0]
        guard Glibc.pipe(&ends) == 0 else {
            throw .cannotStart(program: program, reason: String(cString: strerror(errno)))
        }
        // Closed on exec: the child gets its end through dup2, and no other child gets either.
        ends.forEach { _ = fcntl($0, F_SETFD, FD_CLOEXEC) }
        return (ends[0], ends[1])
    }

    /// Reads both descriptors to their ends, whichever has data first, and closes them.
    private static func drain(_ first: Int32, _ second: Int32) -> (String, String) {
        var buffers: [[UInt8]] = [[], []]
        var fds = [pollfd(fd: first, events: Int16(POLLIN), revents: 0), pollfd(fd: second, events: Int16(POLLIN), revents: 0)]
        var chunk = [UInt8](repeating: 0, count: 65536)
        while fds.contains(where: { $0.fd >= 0 }) {
            if poll(&fds, 2, -1) < 0 { if errno == EINTR { continue } else { break } }
            for index in 0..<2 where fds[index].fd >= 0 && fds[index].revents != 0 {
                let got = chunk.withUnsafeMutableBytes { read(fds[index].fd, $0.baseAddress, $0.count) }
                if got > 0 { buffers[index] += chunk[..<got] } else if got == 0 || errno != EINTR {
                    close(fds[index].fd)
                    fds[index].fd = -1  // poll skips negative descriptors
                }
            }
        }
        return (String(decoding: buffers[0], as: UTF8.self), String(decoding: buffers[1], as: UTF8.self))
    }
}
