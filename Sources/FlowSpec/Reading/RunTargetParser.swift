import FlowBasics

/// Parses a `run:` value: `package.module:function`, `path/to/file.py:function` or
/// `path/to/notebook.ipynb:function`. The function may be dotted (`Class.method`).
enum RunTargetParser {
    static let forms = "'module:function', 'file.py:function' or 'notebook.ipynb:function'"

    /// The target, or a sentence saying what is wrong with the text.
    static func parse(_ text: String) -> Result<RunTarget, RunTargetError> {
        guard let colon = text.lastIndex(of: ":") else {
            return .failure(RunTargetError(
                message: "'\(text)' names no function",
                hint: text.hasSuffix(".py") || text.hasSuffix(".ipynb") ? "write '\(text):FUNCTION'" : "write \(forms)"))
        }
        let source = String(text[..<colon]), function = String(text[text.index(after: colon)...])
        guard !function.isEmpty, function.split(separator: ".", omittingEmptySubsequences: false).allSatisfy({ Identifier.isValid(String($0)) }) else {
            return .failure(RunTargetError(message: "'\(function)' in '\(text)' is not a Python function name", hint: "write \(forms)"))
        }
        guard !source.isEmpty else {
            return .failure(RunTargetError(message: "'\(text)' names no module or file", hint: "write \(forms)"))
        }
        if source.hasSuffix(".py") { return .success(RunTarget(source: .file(source), function: function)) }
        if source.hasSuffix(".ipynb") { return .success(RunTarget(source: .notebook(source), function: function)) }
        let parts = source.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.allSatisfy({ Identifier.isValid(String($0)) }) else {
            return .failure(RunTargetError(
                message: "'\(source)' is neither a Python module name nor a .py or .ipynb file",
                hint: source.contains("/") ? "a file path must end in .py or .ipynb" : "write \(forms)"))
        }
        return .success(RunTarget(source: .module(source), function: function))
    }
}

struct RunTargetError: Error {
    let message: String
    let hint: String
}
