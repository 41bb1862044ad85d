import FlowBasics

/// The diagnostic codes of `lint --deep`'s findings, in one place.
///
/// `DiagnosticCode`'s catalogue has no deep codes yet and new codes can only be declared in
/// FlowBasics; until FS0401 "function not found", FS0402 "parameter cannot be bound", FS0403
/// "module or file not found" and FS0404 "binds a parameter the function lacks" are added there,
/// each finding uses the nearest existing code. Swap these four lines then.
enum DeepCodes {
    static let functionNotFound = DiagnosticCode.invalidRunTarget
    static let parameterUnbound = DiagnosticCode.unknownArgsArtifact
    static let sourceNotFound = DiagnosticCode.invalidRunTarget
    static let unknownParameter = DiagnosticCode.invalidRunTarget
}
