import Glibc

extension SlurmClient {
    /// Polls `jobs` every `interval` seconds, one `squeue` call each time, until each has
    /// settled (ended, can never start, or left the controller) or `seconds` have passed; their
    /// last statuses, without the jobs the controller no longer knows.
    public func waitUntilSettled(_ jobs: [JobID], interval: Double = 0.1,
                                 atMost seconds: Double) throws(SlurmError) -> [JobID: JobStatus] {
        let deadline = ContinuousClock.now + .milliseconds(Int64(seconds * 1000))
        while true {
            let statuses = try self.statuses(of: jobs)
            let settled = jobs.allSatisfy { statuses[$0].map(\.hasSettled) ?? true }
            if settled || ContinuousClock.now >= deadline { return statuses }
            usleep(UInt32(interval * 1_000_000))
        }
    }
}

extension JobStatus {
    /// Nothing more will happen to the job by itself: it ended, or waits for ever.
    public var hasSettled: Bool {
        state.isFinished || (state.isQueued && PendingReason.isPermanent(reason))
    }
}
