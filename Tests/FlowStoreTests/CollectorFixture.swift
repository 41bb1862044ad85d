import Glibc
import FlowBasics
@testable import FlowStore

/// A store of runs recorded the way a scheduler records them, with real blob files, for the
/// collector's tests.
struct CollectorFixture {
    let store = TemporaryStore()
    let writer: StoreWriter

    init() throws {
        writer = try StoreWriter(path: store.path)
    }

    /// A stored value whose blob file holds `text`.
    func value(_ text: String) throws -> ArtifactRef {
        let bytes = Array(text.utf8)
        return ArtifactRef(blob: try writer.writeRawBlob(bytes), size: Int64(bytes.count), type: "builtins.str", repr: text)
    }

    /// A run of `flow` with one task per value in `outputs`, each producing its value as `out`;
    /// finished as `status` unless that is `running` (then it stays running, its scheduler us).
    @discardableResult
    func run(_ flow: String, outputs: [String], params: [String: String] = [:], status: RunStatus = .completed,
             origin: RunID? = nil) throws -> RunID {
        let run = try writer.beginRun(NewRun(flow: flow, params: try params.mapValues(value), originRun: origin))
        try writer.recordStep(run: run, name: "each", position: 0, kind: "foreach", isEnd: true)
        for (position, output) in outputs.enumerated() {
            let attempt = try writer.startTask(run: run, step: "each", index: [position])
            try writer.finishAttempt(attempt, .completed(["out": try value(output)]))
        }
        if status != .running { try writer.finishRun(run, status: status) }
        return run
    }

    /// Moves the run's start `days` into the past.
    func age(_ run: RunID, days: Double) throws {
        try writer.database.run("UPDATE runs SET created_at = created_at - ? WHERE id = ?", [Int64(days * 86_400_000), run.rawValue])
    }

    /// Whether the blob of `text` is in the store.
    func holds(_ text: String) -> Bool {
        FileIO.exists((try? writer.layout.blobPath(BlobHash.of(Array(text.utf8)))) ?? "")
    }

    /// Sets the blob file of `text` modified `seconds` ago.
    func backdate(_ text: String, seconds: Int) throws {
        let path = try writer.layout.blobPath(BlobHash.of(Array(text.utf8)))
        var times = [timespec(tv_sec: time(nil) - seconds, tv_nsec: 0), timespec(tv_sec: time(nil) - seconds, tv_nsec: 0)]
        try expectPath(utimensat(AT_FDCWD, path, &times, 0) == 0, path)
    }

    func runIDs() throws -> [RunID] {
        try StoreReader(path: store.path).runs().map(\.id)
    }

    /// gc leaves blobs modified since it let runs start again, on the file system's clock,
    /// which ticks coarsely (a few ms): the fixture's files are made older than that first.
    func collect(_ request: CollectionRequest = CollectionRequest()) throws -> CollectionReport {
        usleep(20_000)
        return try StoreCollector.collect(store: store.path, request)
    }
}

/// A failed file operation in a fixture, naming the file.
func expectPath(_ succeeded: Bool, _ path: String) throws {
    if !succeeded { throw StoreError.io(path: path, reason: System.errorText(errno)) }
}
