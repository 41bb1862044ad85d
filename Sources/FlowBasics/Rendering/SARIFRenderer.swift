#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Findings as a SARIF 2.1.0 log, the format code-scanning services read.
public enum SARIFRenderer {
    public static func render(_ diagnostics: [Diagnostic], toolVersion: String) -> String {
        let rules = DiagnosticCode.all
        let ruleIndex = Dictionary(uniqueKeysWithValues: rules.enumerated().map { ($1.id, $0) })
        let log = Log(runs: [Run(
            tool: Tool(driver: Driver(
                version: toolVersion,
                rules: rules.map { Rule(id: $0.id, shortDescription: Message(text: $0.title),
                                         defaultConfiguration: Configuration(level: level($0.severity))) })),
            results: diagnostics.map { d in
                Result(ruleId: d.code.id, ruleIndex: ruleIndex[d.code.id] ?? 0, level: level(d.severity),
                       message: Message(text: d.hint.map { "\(d.message)\nhint: \($0)" } ?? d.message),
                       locations: [Location(d.span)],
                       relatedLocations: d.notes.enumerated().compactMap { index, note in
                           note.span.map { Location($0, id: index + 1, message: note.message) }
                       })
            })])
        return JSONRenderer.encode(log)
    }

    private static func level(_ severity: Severity) -> String {
        switch severity {
        case .error: "error"
        case .warning: "warning"
        case .note: "note"
        }
    }

    private struct Log: Encodable {
        let schema = "https://json.schemastore.org/sarif-2.1.0.json"
        let version = "2.1.0"
        let runs: [Run]

        enum CodingKeys: String, CodingKey {
            case schema = "$schema", version, runs
        }
    }

    private struct Run: Encodable {
        let tool: Tool
        let results: [Result]
    }

    private struct Tool: Encodable { let driver: Driver }

    private struct Driver: Encodable {
        let name = "flowspec"
        let version: String
        let informationUri = "https://flowspec.dev"
        let rules: [Rule]
    }

    private struct Rule: Encodable {
        let id: String
        let shortDescription: Message
        let defaultConfiguration: Configuration
    }

    private struct Configuration: Encodable { let level: String }
    private struct Message: Encodable { let text: String }

    private struct Result: Encodable {
        let ruleId: String
        let ruleIndex: Int
        let level: String
        let message: Message
        let locations: [Location]
        let relatedLocations: [Location]
    }

    private struct Location: Encodable {
        struct Physical: Encodable {
            let artifactLocation: Artifact
            let region: Region
        }

        struct Artifact: Encodable { let uri: String }

        struct Region: Encodable {
            let startLine: Int
            let startColumn: Int
            let endLine: Int
            let endColumn: Int
        }

        let id: Int?
        let message: Message?
        let physicalLocation: Physical

        init(_ span: SourceSpan, id: Int? = nil, message: String? = nil) {
            self.id = id
            self.message = message.map(Message.init)
            physicalLocation = Physical(
                artifactLocation: Artifact(uri: uriPath(span.file)),
                region: Region(startLine: span.start.line, startColumn: span.start.column,
                               endLine: span.end.line, endColumn: max(span.end.column, span.start.column + 1)))
        }
    }

    /// A file path as a relative URI reference: RFC 3986 unreserved characters and '/' kept,
    /// every other byte percent-encoded.
    private static func uriPath(_ path: String) -> String {
        let kept = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~/".utf8)
        let hex = Array("0123456789ABCDEF".utf8)
        var bytes: [UInt8] = []
        for byte in path.utf8 {
            if kept.contains(byte) {
                bytes.append(byte)
            } else {
                bytes += [UInt8(ascii: "%"), hex[Int(byte >> 4)], hex[Int(byte & 15)]]
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
