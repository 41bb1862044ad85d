import FlowBasics
import FlowStore
import Glibc
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// How the reading commands show times, durations, sizes and tables.
enum ReadingFormat {
    /// `2026-11-21 14:03:07` in the local time zone.
    static func localTime(_ milliseconds: Timestamp) -> String {
        var seconds = time_t(milliseconds / 1000)
        var parts = tm()
        localtime_r(&seconds, &parts)
        var buffer = [CChar](repeating: 0, count: 32)
        let count = strftime(&buffer, buffer.count, "%Y-%m-%d %H:%M:%S", &parts)
        return String(decoding: buffer[..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// `2026-11-21T13:03:07.120Z`: for JSON.
    static func isoTime(_ milliseconds: Timestamp) -> String {
        var seconds = time_t(milliseconds / 1000)
        var parts = tm()
        gmtime_r(&seconds, &parts)
        var buffer = [CChar](repeating: 0, count: 32)
        let count = strftime(&buffer, buffer.count, "%Y-%m-%dT%H:%M:%S", &parts)
        let millis = Int(milliseconds % 1000)
        return String(decoding: buffer[..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
            + "." + String(String(millis + 1000).dropFirst()) + "Z"
    }

    /// `0.42s`, `12.3s`, `3m05s`, `2h07m`: as the UI's pages write it.
    static func duration(_ seconds: Double) -> String { DisplayFormat.duration(seconds: seconds) }

    /// From `start` to `end`, or to now while it runs; nil before it starts.
    static func seconds(from start: Timestamp?, to end: Timestamp?) -> Double? {
        guard let start else { return nil }
        let finish = end ?? Timestamp(Date().timeIntervalSince1970 * 1000)
        return Double(max(0, finish - start)) / 1000
    }

    /// `812 B`, `4.2 KiB`, `1.3 MiB`.
    static func size(_ bytes: Int64) -> String { DisplayFormat.size(bytes) }

    /// Columns padded to their widest cell; the last column is not padded. A header row is
    /// bold on a terminal.
    static func table(_ header: [String], _ rows: [[String]], color: Bool) -> String {
        let all = [header] + rows
        let widths = header.indices.map { column in all.map { $0[column].count }.max() ?? 0 }
        func line(_ cells: [String]) -> String {
            cells.enumerated().map { column, cell in
                column == cells.count - 1 ? cell : cell + String(repeating: " ", count: widths[column] - cell.count)
            }.joined(separator: "  ").trailingSpacesRemoved + "\n"
        }
        let head = line(header)
        return (color ? "\u{1B}[1m" + head.dropLast() + "\u{1B}[0m\n" : head) + rows.map(line).joined()
    }

    /// Pretty JSON with a final newline. A report's own objects are built from dictionaries,
    /// so their keys come sorted; a user's value (a param) keeps its form and key order.
    static func json(_ value: JSONValue) -> String {
        var writer = JSONWriter()
        writer.pretty(value)
        return String(decoding: writer.bytes, as: UTF8.self) + "\n"
    }

    /// `text` indented by `prefix` on every line, ending in a newline.
    static func indented(_ text: String, _ prefix: String) -> String {
        text.split(separator: "\n", omittingEmptySubsequences: false)
            .reversed().drop { $0.isEmpty }.reversed()
            .map { prefix + $0 + "\n" }.joined()
    }
}

extension String {
    fileprivate var trailingSpacesRemoved: String {
        String(reversed().drop { $0 == " " }.reversed())
    }
}

extension ArtifactRef {
    /// The JSON every reading command gives for a stored value.
    var json: JSONValue {
        .object(["type": .string(type), "size": .int(Int(size)), "repr": .string(repr), "blob": .string(blob)])
    }
}

extension JSONValue {
    static func optional(_ text: String?) -> JSONValue { text.map(JSONValue.string) ?? .null }
    static func optional(_ number: Double?) -> JSONValue { number.map(JSONValue.double) ?? .null }
    static func time(_ milliseconds: Timestamp?) -> JSONValue { milliseconds.map { .string(ReadingFormat.isoTime($0)) } ?? .null }
}
