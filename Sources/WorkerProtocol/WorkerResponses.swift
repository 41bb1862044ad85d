import FlowBasics

// The responses of specs/worker-protocol.md as Swift values.

/// The worker's first message.
public struct WorkerHello: Sendable, Hashable {
    public var kind: String
    public var `protocol`: Int
    public var pid: Int32
    /// The interpreter's release, "3.11.7", and its `sys.executable`.
    public var python: String
    public var executable: String

    public init(pid: Int32, python: String, executable: String) {
        self.kind = "hello"
        self.protocol = workerProtocolVersion
        self.pid = pid
        self.python = python
        self.executable = executable
    }
}

/// The answer to one request: `ok` with the fields of its kind, or `failed` with `error`.
public struct WorkerResponse: Sendable, Hashable {
    public enum Status: String, Sendable, Hashable { case ok, failed }

    public var id: Int
    public var status: Status
    /// `put` and `task`: the artifacts stored.
    public var outputs: [String: ArtifactRef]?
    /// `length`.
    public var length: Int?
    /// `length`, for a value not indexed the way it iterates: the list of its items, stored.
    public var items: ArtifactRef? = nil
    /// `match`: the index of the case the value equals; absent when none does.
    public var index: Int?
    /// `match`: the value's repr, for a message when no case matches. `repr`: the value's full repr.
    public var repr: String?
    /// `task`: how long the function ran.
    public var seconds: Double?
    /// `task`: the parameters the function could take from `available` by name.
    public var parameters: [String]? = nil
    public var error: WorkerFailure?
    /// `check`: what was found, in request order.
    public var findings: [CheckFinding]? = nil
    /// `preview`: the document describing the value (specs/store-format.md, "Previews").
    public var preview: JSONValue? = nil
    /// What the request printed: not in the message, but read from the worker's fds 1 and 2.
    public var printed = PrintedOutput()

    public init(id: Int, status: Status, outputs: [String: ArtifactRef]? = nil, length: Int? = nil,
                seconds: Double? = nil, error: WorkerFailure? = nil) {
        self.id = id
        self.status = status
        self.outputs = outputs
        self.length = length
        self.seconds = seconds
        self.error = error
    }
}

/// Why a request failed.
public struct WorkerFailure: Sendable, Hashable, Error {
    public enum Kind: String, Sendable, Hashable {
        /// User code raised; `traceback` is the user's.
        case exception
        /// The module, file or function could not be loaded.
        case `import`
        /// A parameter could not be bound.
        case binding
        /// The return value did not fit `outputs`.
        case outputs
        /// A value could not be pickled.
        case pickle
        /// The foreach value has no length.
        case foreach
        /// A blob is missing, corrupt or could not be written.
        case store
    }

    public var kind: Kind
    /// The exception's type, module-qualified (`builtins.ValueError`).
    public var type: String
    public var message: String
    public var traceback: String

    public init(kind: Kind, type: String, message: String, traceback: String) {
        self.kind = kind
        self.type = type
        self.message = message
        self.traceback = traceback
    }
}
