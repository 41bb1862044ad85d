import FlowBasics
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Glibc

/// Reads a spec file into a located node tree: checks its size and encoding first,
/// then parses it as JSON (`.json`) or YAML (anything else).
struct DocumentLoader {
    let limits: LoadLimits

    struct Result {
        var root: Node?
        var source: SourceText?
        var diagnostics: [Diagnostic]
    }

    func load(path: String) -> Result {
        let url = URL(fileURLWithPath: path)
        let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size]).flatMap(Self.integer)
        guard let size else {
            return Result(diagnostics: [unreadable(path, reason: FileManager.default.fileExists(atPath: path) ? "it cannot be read" : "no such file")])
        }
        guard size <= limits.maxBytes else {
            return Result(diagnostics: [Diagnostic(
                .fileTooLarge, at: .point(path),
                "the spec is \(megabytes(size)), more than the \(megabytes(limits.maxBytes)) a spec may be",
                hint: "keep data out of the spec: pass it as a 'file' param or load it in a step")])
        }
        guard let data = try? Data(contentsOf: url) else {
            return Result(diagnostics: [unreadable(path, reason: "it cannot be read")])
        }
        return load(bytes: [UInt8](data), file: path)
    }

    func load(bytes: [UInt8], file: String) -> Result {
        let text: String
        if let valid = Self.text(bytes) {
            text = valid
        } else if let problem = encodingProblem(bytes, file: file) {
            return Result(diagnostics: [problem])
        } else {
            text = String(decoding: bytes, as: UTF8.self)
        }
        let source = SourceText(file: file, text: text)
        var diagnostics: [Diagnostic] = []
        let isJSON = file.lowercased().hasSuffix(".json")
        if !isJSON, !["yaml", "yml"].contains(URL(fileURLWithPath: file).pathExtension.lowercased()) {
            diagnostics.append(Diagnostic(
                .unknownExtension, at: .point(file), "'\(URL(fileURLWithPath: file).lastPathComponent)' is not named .yaml, .yml or .json; reading it as YAML",
                hint: "name the spec with a .yaml or .json extension"))
        }
        let (root, found) = isJSON
            ? JSONReader(file: file, limits: limits).read(bytes)
            : YAMLReader(file: file, limits: limits).read(bytes)
        return Result(root: root, source: source, diagnostics: diagnostics + found)
    }

    /// The bytes as text, or nil when they hold a NUL byte or are not valid UTF-8.
    private static func text(_ bytes: [UInt8]) -> String? {
        // memchr: a byte-by-byte search for the NUL cost more than validating the UTF-8.
        let hasNUL = bytes.withUnsafeBytes { buffer in buffer.baseAddress.map { memchr($0, 0, buffer.count) != nil } ?? false }
        return hasNUL ? nil : String(validating: bytes, as: UTF8.self)
    }

    /// The finding for bytes that `text(_:)` refused: where the first NUL byte or invalid sequence is.
    private func encodingProblem(_ bytes: [UInt8], file: String) -> Diagnostic? {
        var line = 1, column = 1
        var iterator = bytes.makeIterator()
        var decoder = UTF8()
        while true {
            switch decoder.decode(&iterator) {
            case .scalarValue(let scalar):
                if scalar == "\0" { return notText(file, line, column, "contains a NUL byte") }
                if scalar == "\n" { line += 1; column = 1 } else { column += 1 }
            case .emptyInput:
                return nil
            case .error:
                return notText(file, line, column, "is not valid UTF-8")
            }
        }
    }

    private func notText(_ file: String, _ line: Int, _ column: Int, _ problem: String) -> Diagnostic {
        Diagnostic(.notText, at: .point(file, line: line, column: column),
                   "the file \(problem) at line \(line), column \(column): it is not a text spec",
                   hint: "a spec is a YAML or JSON text file in UTF-8; check that this is the file you meant")
    }

    private func unreadable(_ path: String, reason: String) -> Diagnostic {
        Diagnostic(.unreadableFile, at: .point(path), "cannot read '\(path)': \(reason)",
                   hint: reason == "no such file" ? "check the path; it is relative to the current folder" : nil)
    }

    /// A file size, whichever integer type the platform's Foundation reports it as.
    private static func integer(_ value: Any?) -> Int? {
        switch value {
        case let size as Int: size
        case let size as UInt: Int(exactly: size)
        case let size as UInt64: Int(exactly: size)
        case let size as Int64: Int(exactly: size)
        default: nil
        }
    }

    private func megabytes(_ bytes: Int) -> String {
        let tenths = (bytes * 10 + 524_288) / 1_048_576
        return "\(tenths / 10).\(tenths % 10) MB"
    }
}
