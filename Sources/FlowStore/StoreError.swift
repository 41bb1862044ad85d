/// What can go wrong opening, reading or writing a store. Each message names what it is about.
public enum StoreError: Error, CustomStringConvertible, Sendable {
    /// No store at that path (a reader never creates one).
    case noStore(path: String)
    /// The store was written in a format this build does not read.
    case unsupportedFormat(path: String, found: String)
    /// No run matches the reference.
    case runNotFound(String)
    /// A prefix matches several runs.
    case ambiguousRun(String, candidates: [String])
    case taskNotFound(String)
    /// A tag that cannot be a user tag; the message says why (`RunTags.problem`).
    case invalidTag(String)
    case invalidHash(String)
    case blobMissing(String)
    /// A blob's bytes do not hash to its name, or its container is malformed.
    case blobCorrupt(String, reason: String)
    case io(path: String, reason: String)
    /// A store that must be written (by gc) and cannot be.
    case readOnly(path: String, reason: String)
    case database(DatabaseError)
    /// A stored value that cannot be what the format says (bad JSON, unknown status).
    case malformed(String)

    public var description: String {
        switch self {
        case .noStore(let path):
            "no flowspec store at '\(path)'"
        case .unsupportedFormat(let path, let found):
            "the store at '\(path)' has format version \(found); this flowspec reads version \(Schema.formatVersion)"
        case .runNotFound(let reference):
            "no run '\(reference)'"
        case .ambiguousRun(let reference, let candidates):
            "run '\(reference)' is ambiguous: it matches \(candidates.map { "'\($0)'" }.joined(separator: ", "))"
        case .taskNotFound(let reference):
            "no task '\(reference)'"
        case .invalidTag(let problem):
            problem
        case .invalidHash(let hash):
            "'\(hash)' is not a blob hash (64 lowercase hex digits)"
        case .blobMissing(let hash):
            "blob \(hash) is missing from the store"
        case .blobCorrupt(let hash, let reason):
            "blob \(hash) is corrupt: \(reason)"
        case .io(let path, let reason):
            "'\(path)': \(reason)"
        case .readOnly(let path, let reason):
            "the store at '\(path)' cannot be written (\(reason))"
        case .database(let error):
            error.description
        case .malformed(let what):
            "malformed store record: \(what)"
        }
    }
}

extension StoreError {
    /// Runs `body`, turning a `DatabaseError` into `StoreError.database`.
    static func wrapping<T>(_ body: () throws -> T) throws -> T {
        do { return try body() } catch let error as DatabaseError { throw StoreError.database(error) }
    }
}
