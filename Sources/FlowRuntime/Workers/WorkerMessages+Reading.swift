import FlowBasics
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

// A successful answer, the one message received for every task, read by `JSONScanner`; a
// failure or any other answer goes through `WorkerResponse`'s `Codable` conformance, and both
// read the same JSON (WorkerMessagesTests compares them).

extension WorkerResponse {
    /// Reads a response frame.
    public init(payload: [UInt8]) throws {
        if let scanned = Self.scanned(payload) {
            self = scanned
        } else {
            self = try JSONDecoder().decode(WorkerResponse.self, from: Data(payload))
        }
    }

    private static let scannedKeys: Set<String> = ["id", "status", "outputs", "length", "items", "index", "repr",
                                                   "seconds"]

    /// An `ok` answer with only the keys above, or nil.
    private static func scanned(_ payload: [UInt8]) -> WorkerResponse? {
        guard case .object(let fields)? = JSONScanner.value(payload), case .int(let id)? = fields["id"],
              case .string("ok")? = fields["status"], fields.keys.allSatisfy(scannedKeys.contains) else { return nil }
        var response = WorkerResponse(id: id, status: .ok)
        if let outputs = fields["outputs"] {
            guard case .object(let members) = outputs else { return nil }
            var artifacts: [String: ArtifactRef] = [:]
            for (name, member) in members {
                guard let artifact = artifact(member) else { return nil }
                artifacts[name] = artifact
            }
            response.outputs = artifacts
        }
        if let items = fields["items"] {
            guard let artifact = artifact(items) else { return nil }
            response.items = artifact
        }
        guard let length = optional(fields["length"], { if case .int(let v) = $0 { v } else { nil } }),
              let index = optional(fields["index"], { if case .int(let v) = $0 { v } else { nil } }),
              let repr = optional(fields["repr"], string),
              let seconds = optional(fields["seconds"], number) else { return nil }
        (response.length, response.index, response.repr, response.seconds) = (length, index, repr, seconds)
        return response
    }

    private static func artifact(_ value: JSONValue) -> ArtifactRef? {
        guard case .object(let fields) = value, fields.count == 4, let blob = fields["blob"].flatMap(string),
              case .int(let size)? = fields["size"], let type = fields["type"].flatMap(string),
              let repr = fields["repr"].flatMap(string) else { return nil }
        return ArtifactRef(blob: blob, size: Int64(size), type: type, repr: repr)
    }

    /// `.some(nil)` for a missing key, `.some(value)` for a readable one, nil for a wrong one.
    private static func optional<T>(_ value: JSONValue?, _ read: (JSONValue) -> T?) -> T?? {
        guard let value else { return .some(nil) }
        return read(value).map { .some($0) }
    }

    private static func string(_ value: JSONValue) -> String? {
        if case .string(let text) = value { text } else { nil }
    }

    private static func number(_ value: JSONValue) -> Double? {
        switch value {
        case .double(let number): number
        case .int(let number): Double(number)
        default: nil
        }
    }
}
