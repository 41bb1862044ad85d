#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Findings as a JSON array, one object each, with stable keys for scripts.
public enum JSONRenderer {
    struct Item: Encodable {
        struct Note: Encodable {
            let message: String
            let file: String?
            let line: Int?
            let column: Int?
        }

        let code: String
        let severity: String
        let file: String
        let line: Int
        let column: Int
        let endLine: Int
        let endColumn: Int
        let message: String
        let hint: String?
        let notes: [Note]
    }

    public static func render(_ diagnostics: [Diagnostic]) -> String {
        let items = diagnostics.map { d in
            Item(code: d.code.id, severity: d.severity.rawValue, file: d.span.file,
                 line: d.span.start.line, column: d.span.start.column,
                 endLine: d.span.end.line, endColumn: d.span.end.column,
                 message: d.message, hint: d.hint,
                 notes: d.notes.map { Item.Note(message: $0.message, file: $0.span?.file,
                                                line: $0.span?.start.line, column: $0.span?.start.column) })
        }
        return encode(items)
    }

    static func encode(_ value: some Encodable) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        let data = (try? encoder.encode(value)) ?? Data("[]".utf8)
        return String(decoding: data, as: UTF8.self) + "\n"
    }
}
