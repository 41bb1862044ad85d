#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// What a built environment's marker file says: written last, so an environment folder
/// without one is a build that never finished.
public struct EnvironmentRecord: Codable, Sendable, Hashable {
    public struct Package: Codable, Sendable, Hashable {
        public let name: String
        public let version: String
    }

    public var format = 1
    public let hash: String
    public let requirements: [String]
    /// The base interpreter it was made from.
    public let baseVersion: String
    public let baseExecutable: String
    /// `uv` or `pip`.
    public let tool: String
    public let packages: [Package]
    public let buildSeconds: Double
    /// Seconds since 1970.
    public let builtAt: Double

    static let fileName = ".flowspec-environment.json"

    static func read(folder: String) -> EnvironmentRecord? {
        guard let data = FileManager.default.contents(atPath: folder + "/" + fileName) else { return nil }
        return try? JSONDecoder().decode(EnvironmentRecord.self, from: data)
    }

    func write(folder: String) throws(EnvironmentError) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        do {
            try encoder.encode(self).write(to: URL(fileURLWithPath: folder + "/" + Self.fileName))
        } catch {
            throw .io("cannot write the environment's marker in \(folder): \(error)")
        }
    }
}
