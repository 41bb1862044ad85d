/// The one `squeue` call that reads the state of many jobs at once, and the reading of its
/// output. `squeue` rather than `scontrol show job`, which takes one job id or all of the
/// cluster's jobs.
enum QueueListing {
    /// The fields asked for, each followed by `|`: `squeue -O` then neither pads nor cuts them.
    static let fields = ["JobID", "State", "Reason", "NodeList", "TimeLimit", "exit_code"]
    static let format = fields.map { "\($0):|" }.joined(separator: ",")

    /// Finished jobs too (`--states=all`): the controller keeps them for `MinJobAge`.
    static func arguments(for jobs: [JobID]) -> [String] {
        ["squeue", "--noheader", "--states=all", "--jobs=" + jobs.map(\.description).joined(separator: ","),
         "--Format=" + format]
    }

    /// One status per line; a line that is not what `format` makes is an error naming it.
    static func parse(_ output: String) throws(SlurmError) -> [JobStatus] {
        var statuses: [JobStatus] = []
        for line in output.split(separator: "\n") where !line.allSatisfy(\.isWhitespace) {
            guard let status = parse(line: line) else {
                throw .unreadable(command: "squeue", output: String(line))
            }
            statuses.append(status)
        }
        return statuses
    }

    private static func parse(line: Substring) -> JobStatus? {
        let values = line.split(separator: "|", omittingEmptySubsequences: false)
        guard values.count == fields.count + 1, values.last == "",
              let id = JobID(parsing: values[0]), !values[1].isEmpty,
              let timeLimit = TimeLimit(parsing: values[4]), let exit = UInt32(values[5])
        else { return nil }
        return JobStatus(id: id, state: JobState(rawValue: String(values[1])), reason: String(values[2]),
                         nodes: values[3].isEmpty ? nil : String(values[3]), timeLimit: timeLimit,
                         exit: JobExit(status: exit))
    }
}
