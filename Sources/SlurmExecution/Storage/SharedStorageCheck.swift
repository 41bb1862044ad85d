import Glibc
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Whether a folder of this machine (the store, a step's environment) is the same folder for a
/// job on the cluster: a job reads a file written here and writes one back. The same path on a
/// node's own disk fails the check, as it should: the job would not find the blobs.
public struct SharedStorageCheck: Sendable {
    public let client: SlurmClient
    /// Where the checking job goes: the partition the steps use may see other filesystems.
    public let options: SlurmOptions
    /// How long the checking job may take, waiting in the queue included.
    public let seconds: Double

    public init(client: SlurmClient, options: SlurmOptions = SlurmOptions(), seconds: Double = 120) {
        self.client = client
        self.options = options
        self.seconds = seconds
    }

    /// What a job saw of `folder`, and whether each of `programs` (the `flowspec` jobs run, a
    /// step's interpreter) is there for it to run; throws when the check itself could not be made.
    public func check(_ folder: String, programs: [String] = []) throws(StorageCheckError) -> StorageVisibility {
        let token = UUID().uuidString
        let probe = "\(folder)/.slurm-probe-\(token)"
        do { try Data(token.utf8).write(to: URL(fileURLWithPath: probe)) } catch {
            throw .local("cannot write '\(probe)': \(error)")
        }
        defer { for file in [probe, probe + ".seen"] { unlink(file) } }
        // The job copies the probe back beside it with its node's name, then names each program
        // it cannot run; it starts in `/`, so that nothing but the paths decides whether it can.
        let script = #"""
            cat "$1" > "$1.seen" && printf '\n%s' "$(hostname)" >> "$1.seen" || exit 2
            shift; for p in "$@"; do [ -x "$p" ] || printf '\nmissing %s' "$p"; done >> "$0.seen"
            """#
        let job = JobRequest(command: ["/bin/sh", "-c", script, probe, probe] + programs, name: "flowspec-storage-check",
                             options: options, output: "/dev/null", error: "/dev/null", workingDirectory: "/")
        let status = try run(job)
        let seen = (try? String(contentsOfFile: probe + ".seen", encoding: .utf8)) ?? ""
        let lines = seen.split(separator: "\n", omittingEmptySubsequences: false)
        if status.state == .completed, lines.first.map(String.init) == token {
            let node = lines.count > 1 ? String(lines[1]) : status.nodes ?? ""
            let missing = lines.dropFirst(2).filter { $0.hasPrefix("missing ") }.map { String($0.dropFirst("missing ".count)) }
            guard missing.isEmpty else {
                return .notVisible("a job on node \(node) cannot run \(missing.map { "'\($0)'" }.joined(separator: ", ")): "
                    + "it is not there, or not executable, as the node sees it")
            }
            return .visible(node: node)
        }
        let node = status.nodes.map { " on node \($0)" } ?? ""
        return .notVisible("a job\(node) could not read and write '\(folder)' as this machine sees it "
            + "(Slurm job \(status.id): \(status.state), \(status.exit))")
    }

    private func run(_ job: JobRequest) throws(StorageCheckError) -> JobStatus {
        let id: JobID
        do { id = try client.submit(job) } catch { throw .cluster(error.description) }
        let statuses: [JobID: JobStatus]
        do { statuses = try client.waitUntilSettled([id], atMost: seconds) } catch { throw .cluster(error.description) }
        guard let status = statuses[id], status.hasSettled, !status.state.isQueued else {
            // Not ended, or held for ever: cancelled, so that no checking job is left behind.
            try? client.cancel([id])
            if let status = statuses[id], status.hasSettled {
                throw .cluster("the storage-checking Slurm job \(id) can never start: Slurm holds it for \(status.reason)")
            }
            let waiting = statuses[id].map { " (\($0.state), reason \($0.reason))" } ?? ""
            let limit = seconds.rounded() == seconds ? String(Int(seconds)) : String(seconds)
            throw .cluster("the storage-checking Slurm job \(id) did not end within \(limit) s\(waiting)")
        }
        return status
    }
}

/// What a job on the cluster saw of a folder.
public enum StorageVisibility: Hashable, Sendable {
    /// The same folder: a job on `node` read what this machine wrote there, and wrote back.
    case visible(node: String)
    /// Not the same folder, or not there: why, in words.
    case notVisible(String)
}

/// The check could not be made.
public enum StorageCheckError: Error, Hashable, Sendable, CustomStringConvertible {
    /// This machine could not write into the folder.
    case local(String)
    /// The cluster could not run the checking job.
    case cluster(String)

    public var description: String {
        switch self {
        case let .local(message), let .cluster(message): message
        }
    }
}
