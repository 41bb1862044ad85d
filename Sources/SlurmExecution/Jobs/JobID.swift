/// A Slurm job id, as `sbatch --parsable` prints it and `squeue`, `scancel` take it.
public struct JobID: Hashable, Comparable, Sendable, CustomStringConvertible {
    public let value: UInt32

    public init(_ value: UInt32) { self.value = value }

    /// `1234`, or `1234;cluster` as `sbatch --parsable` prints it on a federation.
    public init?(parsing text: some StringProtocol) {
        let id = text.split(separator: ";", maxSplits: 1, omittingEmptySubsequences: false)[0]
        guard let value = UInt32(id) else { return nil }
        self.value = value
    }

    public var description: String { String(value) }

    public static func < (a: JobID, b: JobID) -> Bool { a.value < b.value }
}
