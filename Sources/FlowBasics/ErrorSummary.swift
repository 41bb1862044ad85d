/// One line for a failure: an exception as Python ends its traceback (`ValueError: bad row 2`:
/// the type's own name, then `str(exc)`), any other failure by its message alone.
public enum ErrorSummary {
    /// `type` is the module-qualified name (`builtins.ValueError`); `message` is `str(exc)` for
    /// an exception.
    public static func line(kind: String, type: String?, message: String) -> String {
        guard kind == "exception", let type, !type.isEmpty else { return message }
        let name = type.split(separator: ".").last.map(String.init) ?? type
        return message.isEmpty ? name : "\(name): \(message)"
    }
}
