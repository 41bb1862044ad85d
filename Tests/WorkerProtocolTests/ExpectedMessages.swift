import FlowBasics
import WorkerProtocol

/// The Swift value of each example message in specs/worker-protocol/, by file name.
enum ExpectedMessages {
    static let store = "/abs/.flowspec"

    static let requests: [String: WorkerRequest] = [
        "put": .put(PutRequest(id: 1, store: store, values: [
            "top": .json(.int(5)), "ratio": .json(.double(2.0)), "genres": .json(.array([.string("Drama"), .string("Comedy")]))])),
        "length": .length(ValueRequest(id: 2, store: store, value: .literal(.array([.bool(true), .string("b"), .int(3)])))),
        "length-items": .length(ValueRequest(id: 3, store: store, value: .literal(.object(JSONObject([("b", .int(1)), ("a", .int(2))]))))),
        "length-failed": .length(ValueRequest(id: 4, store: store, value: .literal(.int(12)))),
        "match": .match(MatchRequest(id: 5, store: store, value: .literal(.string("small")),
                                     cases: [.bool(true), .string("large"), .string("small")], code: [])),
        "task": .task(task),
        "task-failed": .task(WorkerTaskRequest(
            id: 7, store: store, step: "clean", task: "clean", function: FunctionRef(kind: .module, source: "textwrap", name: "dedent"),
            bound: ["text": .literal(.int(12))], outputs: OutputsSpec(kind: .default, names: ["clean"]))),
        "check": .check(CheckRequest(id: 8, steps: [CheckRequest.Step(
            step: "quote", function: FunctionRef(kind: .module, source: "textwrap", name: "indent"), path: [],
            visible: ["text", "item", "index"], bound: [])])),
        "repr": .repr(ValueRequest(id: 9, store: store, value: .literal(.array([.int(1), .double(2.5), .string("x")])),
                                   run: "20260101-120000-ab12", code: [])),
        "dump": .dump(DumpRequest(id: 10, store: store, value: .literal(.object(["a": .array([.int(1), .int(2)])])),
                                  path: "/abs/out/a.pkl")),
        "exit": .exit(id: 11),
        "preview": .preview(ValueRequest(id: 12, store: store, value: .literal(.object(["a": .int(1)])),
                                         run: "20260101-120000-ab12", code: [])),
    ]

    private static let task = WorkerTaskRequest(
        id: 6, store: store, step: "quote", task: "quote/3", function: FunctionRef(kind: .module, source: "textwrap", name: "indent"),
        path: ["/abs/specs", "/abs/specs/src"], env: ["OMP_NUM_THREADS": "1"],
        bound: ["prefix": .literal(.string("> "))],
        available: [
            "text": .literal(.string("hello\n")),
            "movies": .blob("ab0ff" + String(repeating: "0", count: 58) + "a", path: [.attr("rows"), .index(0), .key("title")]),
            "all": .list([.literal(.null), .literal(.double(1.5))]),
            "inputs": .namespaces([["x": .literal(.int(1))], ["x": .literal(.int(2))]], steps: ["left", "right"]),
        ],
        outputs: OutputsSpec(kind: .single, names: ["quoted"]),
        code: [CodeFileRef(path: "/abs/specs/steps.py", blob: "cd0ff" + String(repeating: "0", count: 58) + "c", module: nil),
               CodeFileRef(path: "/abs/specs/src/fixture_model.py", blob: "ef0ff" + String(repeating: "0", count: 58) + "e",
                           module: "fixture_model")],
        run: TaskRun(flow: "Quotes", id: "20260101-120000-ab12", origin: "20251231-090000-cd34"), attempt: 2, index: 3)

    static let responses: [String: WorkerResponse] = [
        "put": WorkerResponse(id: 1, status: .ok, outputs: [
            "top": artifact("370c50696e5d1d6ec6661046779a8286fc5ed86002a6469f6e85286c36d30c17", 21, "builtins.int", "5"),
            "ratio": artifact("7806f98e9da8acba11e268d057568b720b2219f4326188ec821b2ac7ef5ee468", 37, "builtins.float", "2.0"),
            "genres": artifact("bc30ce80e9fc66c11b0d2a205e1ca46cdaa732c190508343576f6a8062d79be1", 49, "builtins.list",
                               "['Drama', 'Comedy']"),
        ]),
        "length": WorkerResponse(id: 2, status: .ok, length: 3),
        "length-items": with(WorkerResponse(id: 3, status: .ok, length: 2)) {
            $0.items = artifact("c42f05052882ff2c8767812ffb9d7d4279c1a16307f312fc9bf57d51a4df6101", 40, "builtins.list", "['b', 'a']")
        },
        "length-failed": WorkerResponse(id: 4, status: .failed, error: WorkerFailure(
            kind: .foreach, type: "flowspec.ForeachError",
            message: "cannot fan out over a value of type 'builtins.int': it is not iterable; return a list of the items", traceback: "")),
        "match": with(WorkerResponse(id: 5, status: .ok)) { ($0.index, $0.repr) = (2, "'small'") },
        "task": with(WorkerResponse(id: 6, status: .ok, outputs: [
            "quoted": artifact("ddab6e8cc8f66c54cac8ce4e78cd88e5c66a634cc0bb052cc87d92f771984446", 39, "builtins.str", #"'> hello\n'"#),
        ], seconds: 0.00012)) { $0.parameters = ["text", "prefix", "predicate"] },
        "task-failed": WorkerResponse(id: 7, status: .failed, error: WorkerFailure(
            kind: .exception, type: "builtins.TypeError", message: "expected string or bytes-like object, got 'int'",
            traceback: "Traceback (most recent call last):\n  File \"/usr/lib/python3.11/textwrap.py\", line 435, in dedent\n"
                + "TypeError: expected string or bytes-like object, got 'int'\n")),
        "check": with(WorkerResponse(id: 8, status: .ok)) {
            $0.findings = [CheckFinding(
                step: "quote", kind: .parameter,
                message: "step 'quote' cannot bind parameter 'prefix' of indent: it is not bound by 'with' or 'args' and no artifact of that name is visible",
                parameter: "prefix", file: "/usr/lib/python3.11/textwrap.py", line: 470)]
        },
        "repr": with(WorkerResponse(id: 9, status: .ok)) { $0.repr = "[1, 2.5, 'x']" },
        "preview": with(WorkerResponse(id: 12, status: .ok)) {
            $0.preview = .object(JSONObject([
                ("kind", .string("tree")), ("summary", .string("builtins.dict: 1 entry")),
                ("tree", .object(JSONObject([("key", .string("")), ("type", .string("builtins.dict")), ("children", .array([
                    .object(JSONObject([("key", .string("a")), ("type", .string("builtins.int")), ("repr", .string("1"))])),
                ]))]))),
                ("format", .int(1)),
            ]))
        },
        "dump": WorkerResponse(id: 10, status: .ok),
    ]

    private static func artifact(_ blob: String, _ size: Int64, _ type: String, _ repr: String) -> ArtifactRef {
        ArtifactRef(blob: blob, size: size, type: type, repr: repr)
    }

    private static func with(_ response: WorkerResponse, _ change: (inout WorkerResponse) -> Void) -> WorkerResponse {
        var response = response
        change(&response)
        return response
    }
}
