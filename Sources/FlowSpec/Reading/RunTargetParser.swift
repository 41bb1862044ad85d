import FlowBasics

/// Parses a `run:` value: `package.module:function`, `path/to/file.py:function` or
/// `path/to/notebook.ipynb:function`. The function may be dotted (`Class.method`).
enum RunTargetParser {
    static let forms = "'module:function', 'file.py:function' or 'notebook.ipynb:function'"

    /// The target, or a sentence saying what is wrong with the text.
    static func parse(_ text: String) -> Result<RunTarget, RunTargetError> {
        // Scanned as UTF-8 bytes: Character-based slicing and suffix checks cost several
        // times more, and every step has a target.
        var contiguous = text
        return contiguous.withUTF8 { parse(text, bytes: $0) }
    }

    private static func parse(_ text: String, bytes: UnsafeBufferPointer<UInt8>) -> Result<RunTarget, RunTargetError> {
        guard let colon = bytes.lastIndex(of: UInt8(ascii: ":")) else {
            return .failure(RunTargetError(
                message: "'\(text)' names no function",
                hint: text.hasSuffix(".py") || text.hasSuffix(".ipynb") ? "write '\(text):FUNCTION'" : "write \(forms)"))
        }
        let source = bytes[..<colon], function = bytes[(colon + 1)...]
        guard NameBytes.isDotted(function) else {
            return .failure(RunTargetError(
                message: "'\(string(function))' in '\(text)' is not a Python function name", hint: "write \(forms)"))
        }
        guard !source.isEmpty else {
            return .failure(RunTargetError(message: "'\(text)' names no module or file", hint: "write \(forms)"))
        }
        if hasSuffix(source, ".py") { return .success(RunTarget(source: .file(string(source)), function: string(function))) }
        if hasSuffix(source, ".ipynb") { return .success(RunTarget(source: .notebook(string(source)), function: string(function))) }
        guard NameBytes.isDotted(source) else {
            return .failure(RunTargetError(
                message: "'\(string(source))' is neither a Python module name nor a .py or .ipynb file",
                hint: source.contains(UInt8(ascii: "/")) ? "a file path must end in .py or .ipynb" : "write \(forms)"))
        }
        return .success(RunTarget(source: .module(string(source)), function: string(function)))
    }

    /// Whether `bytes` end in the ASCII `suffix` as whole characters, as `String.hasSuffix` decides.
    private static func hasSuffix(_ bytes: Slice<UnsafeBufferPointer<UInt8>>, _ suffix: StaticString) -> Bool {
        let ending = UnsafeBufferPointer(start: suffix.utf8Start, count: suffix.utf8CodeUnitCount)
        guard bytes.count >= ending.count, bytes.suffix(ending.count).elementsEqual(ending) else { return false }
        // After an ASCII byte a new character always starts; after other bytes, such as a
        // prepended mark, the suffix's first byte may belong to the character before it.
        let before = bytes.endIndex - ending.count - 1
        return before < bytes.startIndex || bytes[before] < 0x80 || string(bytes).hasSuffix(String(describing: suffix))
    }

    private static func string(_ bytes: Slice<UnsafeBufferPointer<UInt8>>) -> String {
        String(decoding: bytes, as: UTF8.self)
    }
}

struct RunTargetError: Error {
    let message: String
    let hint: String
}
