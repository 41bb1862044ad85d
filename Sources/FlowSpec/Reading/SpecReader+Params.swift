import FlowBasics

extension SpecReader {
    mutating func params(_ node: Node) -> [Param] {
        guard let entries = reader.mapping(node, "'params'") else { return [] }
        return entries.compactMap { entry in
            guard let name = reader.identifier(entry.key, "param name") else { return nil }
            return param(name, entry.value)
        }
    }

    private mutating func param(_ name: Located<String>, _ node: Node) -> Param {
        var param = Param(name: name)
        guard let entries = reader.mapping(node, "param '\(name.value)'", allowed: SpecKeys.param,
                                           hint: "write '\(name.value): {type: str, default: ...}'") else { return param }
        var typeKnown = true
        if let kindNode = node["type"], let text = reader.string(kindNode, "the type of param '\(name.value)'") {
            if let kind = Param.Kind(rawValue: text.value) {
                param.kind = kind
                param.kindSpan = kindNode.span
            } else {
                typeKnown = false
                reader.report(.unknownParamType, at: kindNode.span, "param type '\(text.value)' is unknown",
                              hint: NearestNames.hint(for: text.value, among: Param.Kind.allCases.map(\.rawValue))
                                ?? "use one of \(quotedList(Param.Kind.allCases.map(\.rawValue), conjunction: "or"))")
            }
        }
        if let help = node["help"] { param.help = reader.string(help, "the help of param '\(name.value)'")?.value }
        if let binary = entries.first(where: { $0.name == "binary" }) {
            param.binary = reader.bool(binary.value, "'binary'") ?? false
            if param.kind != .file {
                reader.report(.binaryNotFile, at: binary.key.span, "'binary' applies only to params of type file",
                              hint: "add 'type: file' or remove 'binary'")
            }
        }
        if let choices = node["choices"] { param.choices = self.choices(choices, of: param, check: typeKnown) }
        if let value = node["default"] {
            param.defaultValue = value
            if typeKnown { checkDefault(value, of: param) }
        }
        return param
    }

    private mutating func choices(_ node: Node, of param: Param, check: Bool) -> [Node]? {
        guard let items = node.items, !items.isEmpty else {
            reader.wrongType(node, "the choices of param '\(param.name.value)'", expected: "a non-empty list")
            return nil
        }
        if check {
            for item in items where !fits(item, param.kind) {
                reader.report(.badChoices, at: item.span,
                              "choice '\(item.scalarText ?? item.kindDescription)' of param '\(param.name.value)' is not of type \(param.kind.rawValue)")
            }
        }
        return items
    }

    private mutating func checkDefault(_ value: Node, of param: Param) {
        let name = param.name.value
        guard fits(value, param.kind) else {
            reader.report(.badParamDefault, at: value.span,
                          "the default of param '\(name)' is \(value.kindDescription), but its type is \(param.kind.rawValue)",
                          hint: param.kind == .file ? "a file param's default is a path relative to the spec's folder" : nil)
            return
        }
        if let choices = param.choices, !choices.contains(where: { $0.hasSameValue(as: value) }) {
            reader.report(.badChoices, at: value.span,
                          "the default \(value.scalarText.map { "'\($0)'" } ?? "value") of param '\(name)' is not one of its choices",
                          hint: choices.allSatisfy { $0.scalarText != nil }
                                ? "use one of \(quotedList(choices.map { $0.scalarText ?? "" }, conjunction: "or"))" : nil)
        }
    }

    private func fits(_ node: Node, _ kind: Param.Kind) -> Bool {
        switch (kind, node.value) {
        case (.json, _), (.str, .string), (.file, .string), (.int, .int), (.float, .int), (.float, .float), (.bool, .bool): true
        default: false
        }
    }
}
