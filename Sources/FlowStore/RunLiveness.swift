/// Whether a run's scheduler is still alive, the one rule readers and `gc` share: on this
/// host, its process (pid and start time) still runs; on another, its heartbeat is fresh.
public enum RunLiveness {
    /// A heartbeat older than this, in milliseconds, is a gone scheduler's. Schedulers
    /// refresh theirs every 10 s.
    public static let staleAfter: Int64 = 120_000

    /// Whether the scheduler of `run` is alive (whatever its recorded status).
    static func schedulerIsAlive(_ run: RunRecord, staleAfter: Int64 = staleAfter) -> Bool {
        if run.schedulerHost == System.hostName {
            return System.isAlive(pid: run.schedulerPID, start: run.schedulerStart)
        }
        return System.nowMilliseconds() - run.heartbeatAt <= staleAfter
    }

    /// Whether `run` is running: recorded `running` and its scheduler alive.
    static func isRunning(_ run: RunRecord) -> Bool {
        run.status == .running && schedulerIsAlive(run)
    }
}
