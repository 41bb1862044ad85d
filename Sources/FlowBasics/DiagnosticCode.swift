/// A stable diagnostic code such as `FS0203`. Codes are never reused or renumbered:
/// scripts and CI configurations match on them.
public struct DiagnosticCode: Hashable, Sendable, Codable {
    public let id: String
    /// A short noun phrase naming the problem, for tables and SARIF rules.
    public let title: String
    public let severity: Severity

    init(_ id: String, _ title: String, _ severity: Severity = .error) {
        self.id = id
        self.title = title
        self.severity = severity
    }

    public func hash(into hasher: inout Hasher) { hasher.combine(id) }
    public static func == (a: DiagnosticCode, b: DiagnosticCode) -> Bool { a.id == b.id }

    public init(from decoder: Decoder) throws {
        let id = try decoder.singleValueContainer().decode(String.self)
        guard let code = DiagnosticCode.all.first(where: { $0.id == id }) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "unknown code \(id)"))
        }
        self = code
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(id)
    }
}

// MARK: - The catalogue
//
// FS00xx reading the file, FS01xx the spec's keys and values, FS02xx data flow,
// FS03xx the shape of the graph, FS04xx the Python the spec names (`lint --deep` only).

extension DiagnosticCode {
    // Reading the file.
    public static let unreadableFile = DiagnosticCode("FS0001", "file cannot be read")
    public static let fileTooLarge = DiagnosticCode("FS0002", "file too large")
    public static let notText = DiagnosticCode("FS0003", "not a UTF-8 text file")
    public static let emptySpec = DiagnosticCode("FS0004", "empty spec")
    public static let syntaxError = DiagnosticCode("FS0005", "YAML or JSON syntax error")
    public static let duplicateKey = DiagnosticCode("FS0006", "duplicate key")
    public static let aliasExpansion = DiagnosticCode("FS0007", "alias expansion too large")
    public static let nestingTooDeep = DiagnosticCode("FS0008", "nesting too deep")
    public static let multipleDocuments = DiagnosticCode("FS0009", "more than one YAML document")
    public static let undefinedAlias = DiagnosticCode("FS0010", "undefined alias")
    public static let unsupportedTag = DiagnosticCode("FS0011", "unsupported YAML tag")
    public static let unknownExtension = DiagnosticCode("FS0012", "unrecognised file extension", .warning)
    public static let complexKey = DiagnosticCode("FS0013", "mapping key is not a scalar")

    // The spec's keys and values.
    public static let unknownKey = DiagnosticCode("FS0101", "unknown key")
    public static let wrongType = DiagnosticCode("FS0102", "value of the wrong type")
    public static let missingKey = DiagnosticCode("FS0103", "required key missing")
    public static let invalidName = DiagnosticCode("FS0104", "invalid name")
    public static let unsupportedVersion = DiagnosticCode("FS0105", "unsupported format version")
    public static let invalidDuration = DiagnosticCode("FS0106", "invalid duration")
    public static let invalidSize = DiagnosticCode("FS0107", "invalid memory size")
    public static let invalidRunTarget = DiagnosticCode("FS0108", "invalid run target")
    public static let invalidReference = DiagnosticCode("FS0109", "invalid reference syntax")
    public static let outOfRange = DiagnosticCode("FS0110", "value out of range")
    public static let conflictingKeys = DiagnosticCode("FS0111", "keys that exclude each other")
    public static let notADefault = DiagnosticCode("FS0112", "key not allowed in defaults")
    public static let unknownParamType = DiagnosticCode("FS0113", "unknown param type")
    public static let badParamDefault = DiagnosticCode("FS0114", "param default of the wrong type")
    public static let badChoices = DiagnosticCode("FS0115", "value not among choices")
    public static let badOutputName = DiagnosticCode("FS0116", "invalid output name")
    public static let boundTwice = DiagnosticCode("FS0117", "parameter bound twice")
    public static let binaryNotFile = DiagnosticCode("FS0118", "binary on a param that is not a file")
    public static let noSteps = DiagnosticCode("FS0119", "no steps")
    public static let badExpansion = DiagnosticCode("FS0120", "malformed ${VAR} expansion")
    public static let invalidEnvName = DiagnosticCode("FS0121", "invalid environment variable name")

    // Data flow.
    public static let unknownArgsArtifact = DiagnosticCode("FS0201", "args refers to an artifact nothing produces")
    public static let unknownSwitchArtifact = DiagnosticCode("FS0202", "switch on an artifact nothing produces")
    public static let unknownForeachArtifact = DiagnosticCode("FS0203", "foreach over an artifact nothing produces")
    public static let itemOutsideForeach = DiagnosticCode("FS0204", "item or index outside a foreach")
    public static let inputsOutsideJoin = DiagnosticCode("FS0205", "inputs outside a join")
    public static let notAnEnclosingForeach = DiagnosticCode("FS0206", "STEP.item names no enclosing foreach")
    public static let ambiguousAfterJoin = DiagnosticCode("FS0207", "artifact differs between joined branches")
    public static let notAJoinedBranch = DiagnosticCode("FS0208", "inputs.STEP names no joined branch")
    public static let missingOnSomeBranch = DiagnosticCode("FS0209", "inputs.NAME missing on a branch")
    public static let catchShadowsOutput = DiagnosticCode("FS0210", "catch name is also an output")
    public static let unknownReportArtifact = DiagnosticCode("FS0211", "report names an artifact the step does not store")

    // The shape of the graph.
    public static let unknownStep = DiagnosticCode("FS0301", "unknown step")
    public static let cycle = DiagnosticCode("FS0302", "cycle")
    public static let unreachableStep = DiagnosticCode("FS0303", "step unreachable from the first")
    public static let deadEnd = DiagnosticCode("FS0304", "step never reaches the last")
    public static let lastStepCount = DiagnosticCode("FS0305", "not exactly one last step")
    public static let missingJoin = DiagnosticCode("FS0306", "several parents but no join")
    public static let joinClosesNothing = DiagnosticCode("FS0307", "join closes nothing")
    public static let crossingSplits = DiagnosticCode("FS0308", "splits not properly nested")
    public static let foreachParents = DiagnosticCode("FS0309", "foreach step without exactly one parent")
    public static let unclosedSplit = DiagnosticCode("FS0310", "split never closed")
    public static let loopWithoutBound = DiagnosticCode("FS0311", "switch loop without max_iterations")
    public static let unusedMaxIterations = DiagnosticCode("FS0312", "max_iterations on a step with no loop", .warning)
    public static let branchMissesJoin = DiagnosticCode("FS0313", "branch does not end at its join")
    public static let duplicateSuccessor = DiagnosticCode("FS0314", "same successor twice")
    public static let loopCrossesSplit = DiagnosticCode("FS0315", "switch loop leaves its split")

    // The Python a spec names (`lint --deep`).
    public static let functionNotFound = DiagnosticCode("FS0401", "function not found")
    public static let parameterUnbound = DiagnosticCode("FS0402", "parameter cannot be bound")
    public static let sourceNotFound = DiagnosticCode("FS0403", "module or file not found")
    public static let unknownParameter = DiagnosticCode("FS0404", "binds a parameter the function lacks")
    public static let skippedNotebookName = DiagnosticCode("FS0405", "uses a notebook name the loader skips", .warning)
    public static let environmentNotChecked = DiagnosticCode("FS0406", "step not checked: environment not built or unusable", .warning)

    /// Every code, in order: the README's table and SARIF's rules are made from this.
    public static let all: [DiagnosticCode] = [
        unreadableFile, fileTooLarge, notText, emptySpec, syntaxError, duplicateKey, aliasExpansion,
        nestingTooDeep, multipleDocuments, undefinedAlias, unsupportedTag, unknownExtension, complexKey,
        unknownKey, wrongType, missingKey, invalidName, unsupportedVersion, invalidDuration, invalidSize,
        invalidRunTarget, invalidReference, outOfRange, conflictingKeys, notADefault, unknownParamType,
        badParamDefault, badChoices, badOutputName, boundTwice, binaryNotFile, noSteps, badExpansion,
        invalidEnvName,
        unknownArgsArtifact, unknownSwitchArtifact, unknownForeachArtifact, itemOutsideForeach,
        inputsOutsideJoin, notAnEnclosingForeach, ambiguousAfterJoin, notAJoinedBranch,
        missingOnSomeBranch, catchShadowsOutput, unknownReportArtifact,
        unknownStep, cycle, unreachableStep, deadEnd, lastStepCount, missingJoin, joinClosesNothing,
        crossingSplits, foreachParents, unclosedSplit, loopWithoutBound, unusedMaxIterations,
        branchMissesJoin, duplicateSuccessor, loopCrossesSplit,
        functionNotFound, parameterUnbound, sourceNotFound, unknownParameter, skippedNotebookName,
        environmentNotChecked,
    ]
}
