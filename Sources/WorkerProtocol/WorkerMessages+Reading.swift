import FlowBasics

// The one reader of what a worker sends: `JSONScanner` parses the frame (Foundation's
// `JSONDecoder` spent ~95k instructions on each task's answer), then each message takes its
// fields from the parsed object. Keys a message does not know are ignored, and `null` reads as
// an absent optional field.

extension WorkerResponse {
    /// Reads a response frame.
    public init(payload: [UInt8]) throws {
        let fields = try MessageFields(payload, "response")
        guard let status = Status(rawValue: try fields.string("status")) else {
            throw WorkerMessageError("the response's 'status' is neither 'ok' nor 'failed'")
        }
        self.init(id: try fields.int("id"), status: status)
        outputs = try fields.optional("outputs") { try $0.artifacts() }
        length = try fields.optional("length") { try $0.int() }
        items = try fields.optional("items") { try $0.artifact() }
        index = try fields.optional("index") { try $0.int() }
        repr = try fields.optional("repr") { try $0.string() }
        seconds = try fields.optional("seconds") { try $0.number() }
        parameters = try fields.optional("parameters") { try $0.array { try $0.string() } }
        error = try fields.optional("error") { try WorkerFailure(try $0.fields()) }
        findings = try fields.optional("findings") { try $0.array { try CheckFinding(try $0.fields()) } }
        preview = try fields.optional("preview") { $0.value }
    }
}

extension WorkerHello {
    /// Reads the worker's first frame.
    public init(payload: [UInt8]) throws {
        let fields = try MessageFields(payload, "hello")
        guard try fields.string("kind") == "hello" else { throw WorkerMessageError("the first message is not a 'hello'") }
        self.init(pid: Int32(truncatingIfNeeded: try fields.int("pid")), python: try fields.string("python"),
                  executable: try fields.string("executable"))
        self.protocol = try fields.int("protocol")
    }
}

extension WorkerRequest {
    /// The `id` of a request frame, or nil when it has none: the worker answers a request it
    /// could not handle at all under it.
    public static func id(of payload: [UInt8]) -> Int? {
        guard let fields = try? MessageFields(payload, "request") else { return nil }
        return try? fields.int("id")
    }
}

extension WorkerFailure {
    fileprivate init(_ fields: MessageFields) throws {
        let name = try fields.string("kind")
        guard let kind = Kind(rawValue: name) else { throw WorkerMessageError("unknown failure kind '\(name)'") }
        self.init(kind: kind, type: try fields.string("type"), message: try fields.string("message"),
                  traceback: try fields.string("traceback"))
    }
}

extension CheckFinding {
    fileprivate init(_ fields: MessageFields) throws {
        let name = try fields.string("kind")
        guard let kind = Kind(rawValue: name) else { throw WorkerMessageError("unknown finding kind '\(name)'") }
        self.init(step: try fields.string("step"), kind: kind, message: try fields.string("message"),
                  parameter: try fields.optional("parameter") { try $0.string() },
                  file: try fields.optional("file") { try $0.string() },
                  line: try fields.optional("line") { try $0.int() },
                  cell: try fields.optional("cell") { try $0.int() },
                  defined: try fields.optional("defined") { try $0.array { try $0.string() } })
    }
}

/// A frame that does not hold a message of the protocol.
public struct WorkerMessageError: Error, CustomStringConvertible, Sendable {
    public let description: String

    init(_ description: String) { self.description = description }
}

/// One member's value, named by where it sits (`error.kind`) for the error when it is not
/// what the protocol says.
private struct MessageValue {
    let value: JSONValue
    let place: String

    func int() throws -> Int {
        guard case .int(let number) = value else { throw mismatch("an integer") }
        return number
    }

    func number() throws -> Double {
        switch value {
        case .double(let number): return number
        case .int(let number): return Double(number)
        default: throw mismatch("a number")
        }
    }

    func string() throws -> String {
        guard case .string(let text) = value else { throw mismatch("a string") }
        return text
    }

    func fields() throws -> MessageFields {
        guard case .object(let members) = value else { throw mismatch("an object") }
        return MessageFields(members: members, place: place)
    }

    func array<T>(_ item: (MessageValue) throws -> T) throws -> [T] {
        guard case .array(let values) = value else { throw mismatch("an array") }
        var items: [T] = []
        items.reserveCapacity(values.count)
        for (index, value) in values.enumerated() {
            items.append(try item(MessageValue(value: value, place: "\(place)[\(index)]")))
        }
        return items
    }

    /// `{"blob": …, "size": …, "type": …, "repr": …}`: a stored value.
    func artifact() throws -> ArtifactRef {
        let fields = try fields()
        return ArtifactRef(blob: try fields.string("blob"), size: Int64(try fields.int("size")),
                             type: try fields.string("type"), repr: try fields.string("repr"))
    }

    func artifacts() throws -> [String: ArtifactRef] {
        guard case .object(let members) = value else { throw mismatch("an object") }
        var artifacts: [String: ArtifactRef] = [:]
        artifacts.reserveCapacity(members.count)
        for (name, member) in members {
            artifacts[name] = try MessageValue(value: member, place: "\(place).\(name)").artifact()
        }
        return artifacts
    }

    private func mismatch(_ expected: String) -> WorkerMessageError {
        WorkerMessageError("'\(place)' is not \(expected)")
    }
}

/// A message's members.
private struct MessageFields {
    let members: JSONObject
    let place: String

    init(members: JSONObject, place: String) {
        self.members = members
        self.place = place
    }

    /// The object a frame holds.
    init(_ payload: [UInt8], _ message: String) throws {
        guard let value = JSONScanner.value(payload) else { throw WorkerMessageError("the \(message) is not JSON text") }
        guard case .object(let members) = value else { throw WorkerMessageError("the \(message) is not a JSON object") }
        self.init(members: members, place: "")
    }

    func int(_ key: String) throws -> Int { try required(key).int() }

    func string(_ key: String) throws -> String { try required(key).string() }

    /// nil for a missing or `null` member.
    func optional<T>(_ key: String, _ read: (MessageValue) throws -> T) throws -> T? {
        guard let value = members[key], value != .null else { return nil }
        return try read(MessageValue(value: value, place: name(key)))
    }

    private func required(_ key: String) throws -> MessageValue {
        guard let value = members[key], value != .null else { throw WorkerMessageError("the message has no '\(name(key))'") }
        return MessageValue(value: value, place: name(key))
    }

    private func name(_ key: String) -> String { place.isEmpty ? key : "\(place).\(key)" }
}
