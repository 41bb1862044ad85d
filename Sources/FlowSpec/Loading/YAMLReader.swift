import CYAML
import FlowBasics

/// Reads YAML text into a located node tree through libyaml's event API.
/// libyaml reports 0-based marks and untyped scalars; this adds 1 to every mark,
/// types plain scalars by the YAML 1.2 core schema, and expands aliases within a bound.
struct YAMLReader {
    let file: String
    let limits: LoadLimits

    func read(_ bytes: [UInt8]) -> (root: Node?, diagnostics: [Diagnostic]) {
        var parser = yaml_parser_t()
        guard yaml_parser_initialize(&parser) == 1 else {
            return (nil, [Diagnostic(.unreadableFile, at: .point(file), "could not start the YAML parser (out of memory?)")])
        }
        defer { yaml_parser_delete(&parser) }
        return bytes.withUnsafeBufferPointer { buffer in
            yaml_parser_set_input_string(&parser, buffer.baseAddress, buffer.count)
            var session = Session(file: file, limits: limits)
            session.run(&parser)
            // A document cut short by an error has no usable root.
            let root = session.complete ? session.builder.root : nil
            return (root, session.diagnostics + session.builder.diagnostics)
        }
    }
}

private struct Session {
    let file: String
    let limits: LoadLimits
    var builder: TreeBuilder
    var diagnostics: [Diagnostic] = []
    var anchors: [String: (node: Node, weight: Int)] = [:]
    var aliasWeight = 0
    var documents = 0
    /// Set once the whole stream has been read.
    var complete = false

    init(file: String, limits: LoadLimits) {
        self.file = file
        self.limits = limits
        builder = TreeBuilder(file: file, limits: limits)
    }

    /// Consumes events until the stream ends or an error makes going on pointless.
    mutating func run(_ parser: inout yaml_parser_t) {
        while true {
            var event = yaml_event_t()
            guard yaml_parser_parse(&parser, &event) == 1 else {
                diagnostics.append(syntaxError(parser))
                return
            }
            defer { yaml_event_delete(&event) }
            guard handle(event) else { return }
        }
    }

    /// Returns false when reading should stop.
    private mutating func handle(_ event: yaml_event_t) -> Bool {
        let start = position(event.start_mark), end = position(event.end_mark)
        switch event.type {
        case YAML_STREAM_END_EVENT:
            complete = true
            if documents == 0 {
                diagnostics.append(Diagnostic(
                    .emptySpec, at: .point(file), "the spec is empty",
                    hint: "a spec starts with 'flowspec: 1', a 'name' and its 'steps'"))
            }
            return false
        case YAML_DOCUMENT_START_EVENT:
            documents += 1
            if documents > 1 {
                diagnostics.append(Diagnostic(
                    .multipleDocuments, at: SourceSpan(file: file, start: start, end: end),
                    "the file holds more than one YAML document",
                    hint: "keep one flow per file; remove the '---' and what follows it"))
                return false
            }
            return true
        case YAML_MAPPING_START_EVENT:
            return open(mapping: true, at: start, anchor: string(event.data.mapping_start.anchor),
                        tag: string(event.data.mapping_start.tag), span: SourceSpan(file: file, start: start, end: end))
        case YAML_SEQUENCE_START_EVENT:
            return open(mapping: false, at: start, anchor: string(event.data.sequence_start.anchor),
                        tag: string(event.data.sequence_start.tag), span: SourceSpan(file: file, start: start, end: end))
        case YAML_MAPPING_END_EVENT, YAML_SEQUENCE_END_EVENT:
            let (node, anchor, weight) = builder.close(at: end)
            finish(node, anchor: anchor, weight: weight)
            return true
        case YAML_SCALAR_EVENT:
            let scalar = event.data.scalar
            let span = SourceSpan(file: file, start: start, end: end)
            let text = String(decoding: UnsafeBufferPointer(start: scalar.value, count: scalar.length), as: UTF8.self)
            let plain = scalar.style == YAML_PLAIN_SCALAR_STYLE
            let value = typed(text, plain: plain, tag: string(scalar.tag), span: span)
            finish(Node(value, span: span, scalarText: text), anchor: string(scalar.anchor), weight: 1)
            return true
        case YAML_ALIAS_EVENT:
            return alias(string(event.data.alias.anchor) ?? "", span: SourceSpan(file: file, start: start, end: end))
        default:
            return true
        }
    }

    private mutating func open(mapping: Bool, at start: SourcePosition, anchor: String?, tag: String?, span: SourceSpan) -> Bool {
        if let tag, tag != (mapping ? Tag.map : Tag.seq) { unsupported(tag: tag, at: span) }
        return builder.open(mapping: mapping, at: start, anchor: anchor)
    }

    private mutating func finish(_ node: Node, anchor: String?, weight: Int) {
        if let anchor { anchors[anchor] = (node, weight) }
        builder.add(node, weight: weight)
    }

    private mutating func alias(_ name: String, span: SourceSpan) -> Bool {
        guard let (node, weight) = anchors[name] else {
            diagnostics.append(Diagnostic(
                .undefinedAlias, at: span, "alias '*\(name)' refers to no anchor defined before it",
                hint: NearestNames.hint(for: name, among: anchors.keys).map { "\($0) (an anchor is written '&name' before its use)" }
                    ?? "define the anchor with '&\(name)' before this alias"))
            return false
        }
        aliasWeight += weight
        guard aliasWeight <= limits.maxAliasNodes else {
            diagnostics.append(Diagnostic(
                .aliasExpansion, at: span,
                "aliases expand to more than \(limits.maxAliasNodes) values (a 'billion laughs' document?)",
                hint: "use fewer or smaller aliases; flowspec refuses documents that grow this much when expanded"))
            return false
        }
        builder.add(node, weight: weight)
        return true
    }

    private mutating func typed(_ text: String, plain: Bool, tag: String?, span: SourceSpan) -> Node.Value {
        switch tag {
        case nil: return plain ? ScalarResolver.resolve(text) : .string(text)
        case Tag.str?, "!"?: return .string(text)
        case Tag.null?, Tag.bool?, Tag.int?, Tag.float?:
            let value = ScalarResolver.resolve(text)
            if matches(value, tag: tag!) { return value }
            diagnostics.append(Diagnostic(
                .unsupportedTag, at: span, "'\(text)' is not a valid \(tag!.split(separator: ":").last ?? "")"))
            return .string(text)
        default:
            unsupported(tag: tag!, at: span)
            return .string(text)
        }
    }

    private func matches(_ value: Node.Value, tag: String) -> Bool {
        switch (value, tag) {
        case (.null, Tag.null), (.bool, Tag.bool), (.int, Tag.int), (.float, Tag.float), (.int, Tag.float): true
        default: false
        }
    }

    private mutating func unsupported(tag: String, at span: SourceSpan) {
        let written = tag.hasPrefix(Tag.standardPrefix) ? "!!" + tag.dropFirst(Tag.standardPrefix.count) : tag
        diagnostics.append(Diagnostic(
            .unsupportedTag, at: span, "YAML tag '\(written)' is not supported",
            hint: "specs hold plain data; remove the tag (only the standard tags like !!str are allowed)"))
    }

    private func syntaxError(_ parser: yaml_parser_t) -> Diagnostic {
        let problem = string(parser.problem) ?? "malformed YAML"
        let mark = parser.problem_mark
        let at = position(mark)
        var notes: [DiagnosticNote] = []
        if let context = string(parser.context) {
            let contextAt = position(parser.context_mark)
            notes.append(DiagnosticNote(context, at: SourceSpan(file: file, start: contextAt, end: contextAt)))
        }
        let hint = problem.contains("cannot start any token")
            ? "YAML indents with spaces; a tab or a character such as '@' or '`' cannot start a value (quote it)"
            : nil
        return Diagnostic(.syntaxError, at: SourceSpan(file: file, start: at, end: at),
                          "invalid YAML: \(problem)", hint: hint, notes: notes)
    }

    private func position(_ mark: yaml_mark_t) -> SourcePosition {
        SourcePosition(line: Int(mark.line) + 1, column: Int(mark.column) + 1)
    }

    private func string(_ pointer: UnsafeMutablePointer<yaml_char_t>?) -> String? {
        pointer.map { String(cString: UnsafeRawPointer($0).assumingMemoryBound(to: CChar.self)) }
    }

    private func string(_ pointer: UnsafePointer<CChar>?) -> String? {
        pointer.map { String(cString: $0) }
    }
}

private enum Tag {
    static let standardPrefix = "tag:yaml.org,2002:"
    static let str = "tag:yaml.org,2002:str", null = "tag:yaml.org,2002:null", bool = "tag:yaml.org,2002:bool"
    static let int = "tag:yaml.org,2002:int", float = "tag:yaml.org,2002:float"
    static let map = "tag:yaml.org,2002:map", seq = "tag:yaml.org,2002:seq"
}
