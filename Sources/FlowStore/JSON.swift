#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The JSON columns: `runs.params`, `runs.tags`, `tasks.index_path`, `steps.report`.
enum JSONColumn {
    static func encode<T: Encodable>(_ value: T) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    static func decode<T: Decodable>(_ type: T.Type, from text: String, what: String) throws -> T {
        do {
            return try JSONDecoder().decode(type, from: Data(text.utf8))
        } catch {
            throw StoreError.malformed("\(what) is not valid JSON: \(text.prefix(80))")
        }
    }

    /// `[2,0]`: a task's foreach positions, as stored in `tasks.index_path`.
    static func indexPath(_ index: [Int]) -> String {
        "[" + index.map(String.init).joined(separator: ",") + "]"
    }

    /// Each position as ten zero-padded digits, joined by `.`, so that text order is foreach
    /// order: `0000000002.0000000000`. Empty outside any foreach.
    static func indexKey(_ index: [Int]) -> String {
        index.map { position in
            let digits = String(position)
            return String(repeating: "0", count: max(0, 10 - digits.count)) + digits
        }.joined(separator: ".")
    }
}
