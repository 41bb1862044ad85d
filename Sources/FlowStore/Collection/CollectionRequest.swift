/// Which runs `flowspec gc` deletes. A run is deleted when every option given selects it;
/// with neither `keepLast` nor `startedBefore`, none is, and gc removes only what no run names.
public struct CollectionRequest: Sendable {
    /// Keep the newest `keepLast` runs of each flow.
    public var keepLast: Int?
    /// Keep the runs that began at or after this time.
    public var startedBefore: Timestamp?
    /// Only runs of this flow; the other flows' are kept.
    public var flow: String?
    /// Change nothing: say what would be deleted.
    public var dryRun: Bool

    public init(keepLast: Int? = nil, startedBefore: Timestamp? = nil, flow: String? = nil, dryRun: Bool = false) {
        self.keepLast = keepLast
        self.startedBefore = startedBefore
        self.flow = flow
        self.dryRun = dryRun
    }

    var selectsRuns: Bool { keepLast != nil || startedBefore != nil }

    /// Whether the options select `run`, the `newer`-th newest of its flow (from 0).
    func selects(_ run: RunRecord, newer: Int) -> Bool {
        guard selectsRuns, flow == nil || run.flow == flow else { return false }
        return (keepLast.map { newer >= $0 } ?? true) && (startedBefore.map { run.createdAt < $0 } ?? true)
    }
}

/// What a gc deleted (or, dry, would delete).
public struct CollectionReport: Sendable {
    public var dryRun: Bool
    /// Newest first.
    public var deletedRuns: [RunRecord] = []
    /// Runs the options selected that were kept: running, or reused by a kept run (the runs it
    /// resumed, or whose tasks it took), whose values and code it reads.
    public var keptRunning: [RunRecord] = []
    public var keptReused: [RunRecord] = []
    /// The runs left in the store.
    public var keptRuns = 0
    public var blobs = 0
    /// Their bytes, and the disk they took (each small file a whole block).
    public var blobSpace = FileSpace()
    /// Unnamed blobs left because a run may be about to name them (modified since the earliest
    /// running run began, or since runs could start again), or a writer held them.
    public var blobsSpared = 0
    /// The cached previews removed (`previews/`): of the blobs removed, or of blobs gone before.
    public var previews = 0
    public var previewSpace = FileSpace()
    /// The hashes of the built environments removed (their folders' names in `envs/`).
    public var environments: [String] = []
    public var environmentSpace = FileSpace()

    public init(dryRun: Bool) { self.dryRun = dryRun }
}
