import FlowBasics

// The requests of specs/worker-protocol.md, version 1, and the values they carry, as Swift
// values. JSON keys are the protocol's own; keep them in step with that document and its
// examples (worker-protocol/).

/// The protocol version this scheduler and worker speak.
public let workerProtocolVersion = 1

/// Where a value comes from; the worker resolves it to a Python object.
public indirect enum ValueRef: Sendable, Hashable {
    /// The unpickled blob with this SHA-256, then each path step applied in order.
    case blob(String, path: [PathStep] = [])
    /// A JSON value as Python (`with:` literals).
    case literal(JSONValue)
    /// A Python list of the resolved refs (`inputs.NAME`).
    case list([ValueRef])
    /// A list of read-only namespaces, one per incoming branch (`inputs`); `steps`, for static
    /// branches, names the step each ended at, which Python reads as `inputs.STEP`.
    case namespaces([[String: ValueRef]], steps: [String]? = nil)
}

/// One step of a ref's path: `.x` is `["attr", "x"]`, `[0]` is `["index", 0]`, `["k"]` is `["key", "k"]`.
public enum PathStep: Sendable, Hashable {
    case attr(String)
    case index(Int)
    case key(String)
}

// MARK: Requests

/// One request to a worker; each kind's fields are the protocol's.
public enum WorkerRequest: Sendable, Hashable {
    case put(PutRequest)
    case length(ValueRequest)
    case match(MatchRequest)
    case task(WorkerTaskRequest)
    /// `check`: `lint --deep`'s static check of step functions.
    case check(CheckRequest)
    /// A stored value's full repr.
    case repr(ValueRequest)
    /// A stored value written to a file as a plain pickle.
    case dump(DumpRequest)
    /// What a page shows of a stored value beyond its repr: a table, an array's facts, an image, a tree.
    case preview(ValueRequest)
    /// Asks the worker to exit; it sends no response.
    case exit(id: Int)

    public var id: Int {
        switch self {
        case let .put(request): request.id
        case let .length(request): request.id
        case let .match(request): request.id
        case let .task(request): request.id
        case let .check(request): request.id
        case let .repr(request): request.id
        case let .dump(request): request.id
        case let .preview(request): request.id
        case let .exit(id): id
        }
    }
}

/// `put`: store param values.
public struct PutRequest: Sendable, Hashable {
    public var id: Int
    /// The store's absolute path.
    public var store: String
    public var values: [String: ParamSource]

    public init(id: Int, store: String, values: [String: ParamSource]) {
        self.id = id
        self.store = store
        self.values = values
    }
}

/// Where a param's value comes from: `{"json": 5}`, `{"text_file": PATH}`, `{"bytes_file": PATH}`.
public enum ParamSource: Sendable, Hashable {
    case json(JSONValue)
    case textFile(String)
    case bytesFile(String)
}

/// `length` (how many items a foreach fans out to) and `repr` (a value's full repr, for
/// `flowspec get`; the response's `repr` holds it, uncut): a request about one stored value.
public struct ValueRequest: Sendable, Hashable {
    public var id: Int
    public var store: String
    public var value: ValueRef
    /// The run the value belongs to, and its code snapshot (`CodeFileRef`).
    public var run: String?
    public var code: [CodeFileRef]?

    public init(id: Int, store: String, value: ValueRef, run: String? = nil, code: [CodeFileRef]? = nil) {
        self.id = id
        self.store = store
        self.value = value
        self.run = run
        self.code = code
    }
}

/// A file of a run's code snapshot (`code_files`): a worker that reads a value loads the
/// classes it was pickled with from it, whether or not it loaded the file itself, wherever it runs.
public struct CodeFileRef: Sendable, Hashable {
    public var path: String
    public var blob: String
    /// The module it is imported as; nil for a `.py` file or notebook named by its path.
    public var module: String?

    public init(path: String, blob: String, module: String?) {
        self.path = path
        self.blob = blob
        self.module = module
    }
}

/// `match`: which `switch` case a value selects.
public struct MatchRequest: Sendable, Hashable {
    public var id: Int
    public var store: String
    public var value: ValueRef
    public var cases: [JSONValue]
    public var code: [CodeFileRef]?

    public init(id: Int, store: String, value: ValueRef, cases: [JSONValue], code: [CodeFileRef]? = nil) {
        self.id = id
        self.store = store
        self.value = value
        self.cases = cases
        self.code = code
    }
}

/// `dump`: write a value to `path` as `pickle.dumps(value, protocol=5)`, loadable by
/// `pickle.load` without flowspec (`flowspec get -o`).
public struct DumpRequest: Sendable, Hashable {
    public var id: Int
    public var store: String
    public var value: ValueRef
    /// Absolute; replaced atomically if it exists.
    public var path: String
    public var run: String?
    public var code: [CodeFileRef]?

    public init(id: Int, store: String, value: ValueRef, path: String, run: String? = nil, code: [CodeFileRef]? = nil) {
        self.id = id
        self.store = store
        self.value = value
        self.path = path
        self.run = run
        self.code = code
    }
}

/// `task`: run one step function.
public struct WorkerTaskRequest: Sendable, Hashable {
    public var id: Int
    public var store: String
    /// The step's name, and the task's (`per_genre[3]`).
    public var step: String
    public var task: String
    public var function: FunctionRef
    /// Import roots, absolute, in order.
    public var path: [String]
    public var env: [String: String]
    /// Parameters bound by `with` and `args`.
    public var bound: [String: ValueRef]
    /// Every visible name, for binding parameters by their own names.
    public var available: [String: ValueRef]
    public var outputs: OutputsSpec
    /// The run's code snapshot, for values whose classes a file the worker has not loaded defines.
    public var code: [CodeFileRef]
    /// The run the task is of, for `flowspec.current`; nil outside a recorded run.
    public var run: TaskRun?
    /// 1 for the first try, 2 for the first retry, …
    public var attempt: Int
    /// The task's innermost foreach position; nil outside a foreach.
    public var index: Int?

    public init(id: Int, store: String, step: String, task: String, function: FunctionRef, path: [String] = [],
                env: [String: String] = [:], bound: [String: ValueRef] = [:], available: [String: ValueRef] = [:],
                outputs: OutputsSpec, code: [CodeFileRef] = [], run: TaskRun? = nil, attempt: Int = 1, index: Int? = nil) {
        self.run = run
        self.attempt = attempt
        self.index = index
        self.id = id
        self.store = store
        self.step = step
        self.task = task
        self.function = function
        self.path = path
        self.env = env
        self.bound = bound
        self.available = available
        self.outputs = outputs
        self.code = code
    }
}

/// The run a task is of, as `flowspec.current` tells the step: its flow, its id and, for a
/// resumed run, the run it took tasks from.
public struct TaskRun: Sendable, Hashable {
    public var flow: String
    public var id: String
    public var origin: String?

    public init(flow: String, id: String, origin: String? = nil) {
        self.flow = flow
        self.id = id
        self.origin = origin
    }
}

/// `check`: find each step's function by reading its source (never running it) and check that
/// every parameter binds.
public struct CheckRequest: Sendable, Hashable {
    public struct Step: Sendable, Hashable {
        public var step: String
        public var function: FunctionRef
        /// Import roots, absolute, in order.
        public var path: [String]
        /// The names visible at the step: params, upstream outputs, `item`/`index`, `inputs`.
        public var visible: [String]
        /// Parameters bound by `with` and `args`.
        public var bound: [String]

        public init(step: String, function: FunctionRef, path: [String], visible: [String], bound: [String]) {
            self.step = step
            self.function = function
            self.path = path
            self.visible = visible
            self.bound = bound
        }
    }

    public var id: Int
    public var steps: [Step]

    public init(id: Int, steps: [Step]) {
        self.id = id
        self.steps = steps
    }
}

/// One problem a `check` found.
public struct CheckFinding: Sendable, Hashable {
    public enum Kind: String, Sendable, Hashable {
        /// The module, file or notebook cannot be found or parsed.
        case source
        /// The source defines no such function.
        case function
        /// A parameter cannot be bound (`parameter` names it).
        case parameter
        /// `with` or `args` binds a name the function has no parameter for.
        case unknownParameter = "unknown_parameter"
        /// A notebook function uses a name (`parameter`) only a statement the loader leaves
        /// out assigns; `cell` and `line` give that statement.
        case skippedName = "skipped_name"
    }

    public var step: String
    public var kind: Kind
    public var message: String
    public var parameter: String?
    /// Where the function is defined: its file and line (for a notebook, the line in `cell`).
    public var file: String?
    public var line: Int?
    public var cell: Int?
    /// For `function`: the public functions and classes the source defines.
    public var defined: [String]?

    public init(step: String, kind: Kind, message: String, parameter: String? = nil, file: String? = nil,
                line: Int? = nil, cell: Int? = nil, defined: [String]? = nil) {
        self.step = step
        self.kind = kind
        self.message = message
        self.parameter = parameter
        self.file = file
        self.line = line
        self.cell = cell
        self.defined = defined
    }
}

/// The callable a task runs.
public struct FunctionRef: Sendable, Hashable {
    public enum Kind: String, Sendable, Hashable {
        /// `source` is a dotted module name.
        case module
        /// `source` is an absolute path to a `.py` file.
        case file
        /// `source` is an absolute path to a `.ipynb` notebook.
        case notebook
    }

    public var kind: Kind
    public var source: String
    /// The function's name in the module; may be dotted (`Class.method`).
    public var name: String

    public init(kind: Kind, source: String, name: String) {
        self.kind = kind
        self.source = source
        self.name = name
    }
}

/// How the return value becomes artifacts.
public struct OutputsSpec: Sendable, Hashable {
    public enum Kind: String, Sendable, Hashable {
        /// The return value is `names[0]`.
        case single
        /// A sequence of exactly `names.count` items.
        case unpacked
        /// Each key of a returned mapping (`outputs: "*"`).
        case mapping
        /// A return value other than `None` is `names[0]` (the step's name).
        case `default`
    }

    public var kind: Kind
    public var names: [String]

    public init(kind: Kind, names: [String]) {
        self.kind = kind
        self.names = names
    }
}
