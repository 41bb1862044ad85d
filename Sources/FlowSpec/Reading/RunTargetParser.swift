import FlowBasics

/// Parses a `run:` value: `package.module:function`, `path/to/file.py:function` or
/// `path/to/notebook.ipynb:function`. The function may be dotted (`Class.method`).
enum RunTargetParser {
    static let forms = "'module:function', 'file.py:function' or 'notebook.ipynb:function'"

    /// The target, or a sentence saying what is wrong with the text.
    static func parse(_ text: String) -> Result<RunTarget, RunTargetError> {
        guard let colon = text.utf8.lastIndex(of: UInt8(ascii: ":")) else {
            return .failure(RunTargetError(
                message: "'\(text)' names no function",
                hint: text.hasSuffix(".py") || text.hasSuffix(".ipynb") ? "write '\(text):FUNCTION'" : "write \(forms)"))
        }
        let source = text[..<colon], function = text[text.utf8.index(after: colon)...]
        guard Identifier.isValidDotted(function) else {
            return .failure(RunTargetError(message: "'\(function)' in '\(text)' is not a Python function name", hint: "write \(forms)"))
        }
        guard !source.isEmpty else {
            return .failure(RunTargetError(message: "'\(text)' names no module or file", hint: "write \(forms)"))
        }
        if source.hasSuffix(".py") { return .success(RunTarget(source: .file(String(source)), function: String(function))) }
        if source.hasSuffix(".ipynb") { return .success(RunTarget(source: .notebook(String(source)), function: String(function))) }
        guard Identifier.isValidDotted(source) else {
            return .failure(RunTargetError(
                message: "'\(source)' is neither a Python module name nor a .py or .ipynb file",
                hint: source.contains("/") ? "a file path must end in .py or .ipynb" : "write \(forms)"))
        }
        return .success(RunTarget(source: .module(String(source)), function: String(function)))
    }
}

struct RunTargetError: Error {
    let message: String
    let hint: String
}
