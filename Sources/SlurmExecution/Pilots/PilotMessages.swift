#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// A pilot's first message on its connection: who it is, and the run's secret that proves it
/// was started by this run. Everything after it is the worker protocol's task requests one way
/// and, the other way, for each, a `PilotPrinted` frame and then the worker's response.
public struct PilotHello: PilotMessage, Hashable, Sendable {
    public static let version = 1

    public var version: Int
    public var secret: String
    /// The Slurm job the pilot runs as (`SLURM_JOB_ID`).
    public var job: String
    /// The node it runs on.
    public var node: String
    public var step: String

    public init(secret: String, job: String, node: String, step: String) {
        version = Self.version
        self.secret = secret
        self.job = job
        self.node = node
        self.step = step
    }
}

/// What a task printed in a pilot, sent before its response.
public struct PilotPrinted: PilotMessage, Hashable, Sendable {
    public var stdout: String
    public var stderr: String

    public init(stdout: String, stderr: String) {
        self.stdout = stdout
        self.stderr = stderr
    }
}

/// A message of the pilot's own, beside the worker protocol's: JSON in one frame.
public protocol PilotMessage: Codable {}

extension PilotMessage {
    public func payload() -> [UInt8] { Array((try? JSONEncoder().encode(self)) ?? Data()) }

    public init(payload: [UInt8]) throws { self = try JSONDecoder().decode(Self.self, from: Data(payload)) }
}
