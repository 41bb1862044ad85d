import FlowBasics

/// A value as JSON text on its own, outside a request: how the store keeps the item a foreach
/// task processed (`tasks.item`, `specs/store-format.md`), so that a reader can ask a worker
/// for it again.
extension ValueRef {
    /// Compact, as a request writes it.
    public var jsonText: String {
        var json = JSONWriter(capacity: 128)
        write(to: &json)
        return String(decoding: json.bytes, as: UTF8.self)
    }

    /// The value `text` writes; nil when it is not one.
    public init?(jsonText text: String) {
        guard let value = JSONScanner.value(Array(text.utf8)) else { return nil }
        self.init(json: value)
    }

    private init?(json: JSONValue) {
        guard case .object(let members) = json else { return nil }
        if case .string(let hash)? = members["blob"] {
            guard case .array(let steps)? = members["path"] ?? .array([]) else { return nil }
            let path = steps.compactMap(PathStep.init(json:))
            guard path.count == steps.count else { return nil }
            self = .blob(hash, path: path)
        } else if let literal = members["literal"] {
            self = .literal(literal)
        } else if case .array(let items)? = members["list"] {
            let refs = items.compactMap(ValueRef.init(json:))
            guard refs.count == items.count else { return nil }
            self = .list(refs)
        } else if case .array(let branches)? = members["namespaces"] {
            let read = branches.compactMap(Self.namespace)
            guard read.count == branches.count else { return nil }
            let steps: [String]? = if case .array(let names)? = members["steps"] {
                names.compactMap { if case .string(let name) = $0 { name } else { nil } }
            } else { nil }
            self = .namespaces(read, steps: steps)
        } else {
            return nil
        }
    }

    private static func namespace(_ json: JSONValue) -> [String: ValueRef]? {
        guard case .object(let names) = json else { return nil }
        let refs = names.compactMap { name, value in ValueRef(json: value).map { (name, $0) } }
        return refs.count == names.count ? Dictionary(uniqueKeysWithValues: refs) : nil
    }
}

extension PathStep {
    fileprivate init?(json: JSONValue) {
        guard case .array(let pair) = json, pair.count == 2, case .string(let kind) = pair[0] else { return nil }
        switch (kind, pair[1]) {
        case ("attr", .string(let name)): self = .attr(name)
        case ("key", .string(let key)): self = .key(key)
        case ("index", .int(let index)): self = .index(index)
        default: return nil
        }
    }
}
