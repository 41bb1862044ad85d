extension JobRequest {
    /// The `sbatch` command line that submits this job. One node, one task; never requeued by
    /// Slurm (a failed job is a failed attempt, which the step's `retry` decides about); the
    /// submitter's environment goes with it (Slurm's default).
    public var sbatchArguments: [String] {
        var arguments = ["sbatch", "--parsable", "--no-requeue", "--nodes=1", "--ntasks=1", "--job-name=\(name)"]
        arguments += resources.sbatchArguments + options.sbatchArguments
        if let output { arguments.append("--output=\(output)") }
        if let error { arguments.append("--error=\(error)") }
        if let workingDirectory { arguments.append("--chdir=\(workingDirectory)") }
        arguments += options.extra
        arguments.append("--wrap=exec " + command.map(Shell.quoted).joined(separator: " "))
        return arguments
    }
}

extension JobResources {
    var sbatchArguments: [String] {
        var arguments = ["--cpus-per-task=\(max(1, Int(cpu.rounded(.up))))"]
        if memory > 0 { arguments.append("--mem=\((memory + (1 << 20) - 1) >> 20)M") }
        if gpu > 0 { arguments.append("--gres=gpu:\(gpu)") }
        if let minutes = timeLimitMinutes { arguments.append("--time=\(minutes)") }
        return arguments
    }

    /// The timeout in whole minutes, rounded up: Slurm's time limits have no seconds. The
    /// scheduler enforces the exact timeout itself; this is the cluster's backstop.
    public var timeLimitMinutes: Int? {
        timeout.map { max(1, Int(($0 / 60).rounded(.up))) }
    }
}

extension SlurmOptions {
    var sbatchArguments: [String] {
        [("partition", partition), ("account", account), ("qos", qos), ("constraint", constraint)]
            .compactMap { option, value in value.map { "--\(option)=\($0)" } }
    }
}

/// POSIX shell quoting, for the command `sbatch --wrap` runs.
enum Shell {
    /// `word` as one shell word: as it is when it has only safe characters, else in single quotes.
    static func quoted(_ word: String) -> String {
        let safe = word.utf8.allSatisfy { byte in
            (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
                || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || "-_./=:,+@%".utf8.contains(byte)
        }
        if safe && !word.isEmpty { return word }
        return "'" + word.replacing("'", with: #"'\''"#) + "'"
    }
}
