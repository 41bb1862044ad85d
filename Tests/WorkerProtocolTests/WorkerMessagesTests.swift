import FlowBasics
import Foundation
import Testing
import WorkerProtocol

/// The Swift messages must spell the protocol's JSON exactly (specs/worker-protocol.md).
@Suite struct WorkerMessagesTests {
    private func json(_ request: WorkerRequest) throws -> NSDictionary {
        let data = Data(request.payload())
        return try #require(JSONSerialization.jsonObject(with: data) as? NSDictionary)
    }

    private func object(_ text: String) throws -> NSDictionary {
        try #require(JSONSerialization.jsonObject(with: Data(text.utf8)) as? NSDictionary)
    }

    @Test func putSpellsTheProtocol() throws {
        let request = WorkerRequest.put(PutRequest(id: 1, store: "/abs/.flowspec", values: [
            "top": .json(.int(5)), "data": .textFile("/abs/data.csv"), "raw": .bytesFile("/abs/x.bin")]))
        #expect(try json(request) == object("""
            {"kind": "put", "id": 1, "store": "/abs/.flowspec",
             "values": {"top": {"json": 5}, "data": {"text_file": "/abs/data.csv"}, "raw": {"bytes_file": "/abs/x.bin"}}}
            """))
    }

    /// JSONEncoder would write `2` and `-0` (Python ints), round big integers and shuffle keys.
    @Test func putAndMatchKeepFloatsBigIntegersAndKeyOrder() throws {
        let value = JSONValue.object(JSONObject([("z", .double(2.0)), ("a", .double(-0.0)), ("m", .bigInt("18446744073709551616"))]))
        let written = #"{"z":2.0,"a":-0.0,"m":18446744073709551616}"#
        let put = WorkerRequest.put(PutRequest(id: 1, store: "/s", values: ["p": .json(value)])).payload()
        #expect(String(decoding: put, as: UTF8.self).contains(#""values":{"p":{"json":\#(written)}}"#))
        let match = WorkerRequest.match(MatchRequest(id: 2, store: "/s", value: .blob("ab"), cases: [value])).payload()
        #expect(String(decoding: match, as: UTF8.self).contains(#""cases":[\#(written)]"#))
    }

    /// JSON has no infinities or NaN; the worker's `json.loads` reads these three words as floats.
    @Test func nonFiniteFloatsAreWrittenAsPythonsJSONReadsThem() throws {
        let value = JSONValue.array([.double(.infinity), .double(-.infinity), .double(.nan), .double(1e300)])
        let put = WorkerRequest.put(PutRequest(id: 1, store: "/s", values: ["p": .json(value)])).payload()
        #expect(String(decoding: put, as: UTF8.self).contains(#""json":[Infinity,-Infinity,NaN,1e+300]"#))
    }

    @Test func taskSpellsTheProtocol() throws {
        let request = WorkerRequest.task(WorkerTaskRequest(
            id: 3, store: "/abs/.flowspec", step: "per_genre", task: "per_genre/3",
            function: FunctionRef(kind: .file, source: "/abs/specs/movies.py", name: "stats"),
            path: ["/abs/specs", "/abs/specs/src"], env: ["OMP_NUM_THREADS": "1"],
            bound: ["genre": .blob("ab", path: [.attr("x"), .index(0), .key("k")])],
            available: ["movies": .blob("cd"), "all": .list([.literal(.null)]),
                        "inputs": .namespaces([["a": .literal(.double(1.5))]]), "index": .literal(.int(3))],
            outputs: OutputsSpec(kind: .single, names: ["stats"]),
            code: [CodeFileRef(path: "/abs/specs/movies.py", blob: "ef", module: nil),
                   CodeFileRef(path: "/abs/specs/src/m.py", blob: "12", module: "m")],
            run: TaskRun(flow: "MovieStats", id: "20261121-233541-186b"), attempt: 2, index: 3))
        #expect(try json(request) == object("""
            {"kind": "task", "id": 3, "store": "/abs/.flowspec",
             "step": "per_genre", "task": "per_genre/3",
             "function": {"kind": "file", "source": "/abs/specs/movies.py", "name": "stats"},
             "path": ["/abs/specs", "/abs/specs/src"],
             "env": {"OMP_NUM_THREADS": "1"},
             "bound": {"genre": {"blob": "ab", "path": [["attr", "x"], ["index", 0], ["key", "k"]]}},
             "available": {"movies": {"blob": "cd"}, "all": {"list": [{"literal": null}]},
                           "inputs": {"namespaces": [{"a": {"literal": 1.5}}]}, "index": {"literal": 3}},
             "outputs": {"kind": "single", "names": ["stats"]},
             "code": [{"path": "/abs/specs/movies.py", "blob": "ef"}, {"path": "/abs/specs/src/m.py", "blob": "12", "module": "m"}],
             "flow": "MovieStats", "run": "20261121-233541-186b", "attempt": 2, "index": 3}
            """))
    }

    @Test func aTaskRequestsPayloadDecodesToItself() throws {
        let awkward = "quote \" backslash \\ newline \n tab \t bell \u{07} é 🎬 </>"
        let request = WorkerRequest.task(WorkerTaskRequest(
            id: 9, store: awkward, step: "s", task: "s[0]", function: FunctionRef(kind: .module, source: "m", name: awkward),
            path: [], env: [awkward: awkward, "EMPTY": ""],
            bound: ["x": .literal(.object(["k": .array([.bool(true), .null, .double(-0.25), .int(-7), .string(awkward)])]))],
            available: ["none": .namespaces([]), "empty": .list([]), "deep": .blob("ef", path: [.key(awkward)])],
            outputs: OutputsSpec(kind: .mapping, names: []), code: [CodeFileRef(path: awkward, blob: "ab", module: awkward)]))
        let expected: NSDictionary = [
            "kind": "task", "id": 9, "store": awkward, "step": "s", "task": "s[0]",
            "function": ["kind": "module", "source": "m", "name": awkward], "path": [String](),
            "env": [awkward: awkward, "EMPTY": ""],
            "bound": ["x": ["literal": ["k": [true, NSNull(), -0.25, -7, awkward]]]],
            "available": ["none": ["namespaces": [Any]()], "empty": ["list": [Any]()], "deep": ["blob": "ef", "path": [["key", awkward]]]],
            "outputs": ["kind": "mapping", "names": [String]()], "code": [["path": awkward, "blob": "ab", "module": awkward]],
            "attempt": 1,
        ]
        #expect(try json(request) == expected)
    }

    @Test(arguments: [
        (#"{"id": 4, "status": "ok", "outputs": {"y": {"blob": "ab", "size": 58, "type": "builtins.int", "repr": "2"}}, "seconds": 0.00012}"#,
         WorkerResponse(id: 4, status: .ok, outputs: ["y": ArtifactRef(blob: "ab", size: 58, type: "builtins.int", repr: "2")], seconds: 0.00012)),
        (#"{"id":5,"status":"ok","outputs":{},"seconds":1,"repr":"tab\there \"quoted\" \\ \u00e9 \ud83c\udfac \/ line\nnext"}"#,
         WorkerResponse(id: 5, status: .ok, outputs: [:], seconds: 1).with(repr: "tab\there \"quoted\" \\ é 🎬 / line\nnext")),
        (#"{"id": 6, "status": "ok", "length": 100000}"#, WorkerResponse(id: 6, status: .ok, length: 100000)),
        (#"{"id": 6, "status": "ok", "length": 2, "items": {"blob": "ef", "size": 9, "type": "builtins.list", "repr": "['b', 'a']"}}"#,
         WorkerResponse(id: 6, status: .ok, length: 2).with(items: ArtifactRef(blob: "ef", size: 9, type: "builtins.list", repr: "['b', 'a']"))),
        (#"{"id": 7, "status": "ok", "index": 2, "repr": "'Drama'"}"#, WorkerResponse(id: 7, status: .ok).with(index: 2).with(repr: "'Drama'")),
        (#"{"id": 8, "status": "failed", "error": {"kind": "exception", "type": "builtins.KeyError", "message": "'k'", "traceback": "Traceback ..."}}"#,
         WorkerResponse(id: 8, status: .failed, error: WorkerFailure(kind: .exception, type: "builtins.KeyError", message: "'k'", traceback: "Traceback ..."))),
        (#" { "id" : 9 , "status" : "ok" , "seconds" : 1.5e-3 , "outputs" : { "a" : { "blob" : "cd" , "size" : 1 , "type" : "t" , "repr" : "é" } } } "#,
         WorkerResponse(id: 9, status: .ok, outputs: ["a": ArtifactRef(blob: "cd", size: 1, type: "t", repr: "é")], seconds: 1.5e-3)),
        (#"{"id": 10, "status": "ok", "length": 1, "repr": null, "later": {"a": [1]}}"#, WorkerResponse(id: 10, status: .ok, length: 1)),
    ])
    func responsesReadAsTheirSwiftValues(payload: String, expected: WorkerResponse) throws {
        #expect(try WorkerResponse(payload: Array(payload.utf8)) == expected)
    }

    @Test func aMalformedResponseIsAnError() {
        for payload in [#"{"id": 1, "status": "ok""#, "", #"{"id": "x", "status": "ok"}"#, #"[1, 2]"#,
                        #"{"id": 1, "status": "ok", "seconds": "1"}"#, #"{"id": 1, "status": "maybe"}"#,
                        #"{"id": 1, "status": "failed", "error": {"kind": "oops", "type": "t", "message": "m", "traceback": ""}}"#] {
            #expect(throws: (any Error).self) { try WorkerResponse(payload: Array(payload.utf8)) }
        }
    }

    @Test func lengthAndExitSpellTheProtocol() throws {
        #expect(try json(.length(ValueRequest(id: 2, store: "/s", value: .literal(.array([.bool(true)]))))) ==
                object(#"{"kind": "length", "id": 2, "store": "/s", "value": {"literal": [true]}}"#))
        #expect(try json(.exit(id: 9)) == object(#"{"kind": "exit", "id": 9}"#))
    }

    @Test func responsesDecode() throws {
        let ok = try WorkerResponse(payload: Array("""
            {"id": 3, "status": "ok", "seconds": 0.0123, "parameters": ["genre", "movies"],
             "outputs": {"stats": {"blob": "ff", "size": 812, "type": "builtins.dict", "repr": "{}"}},
             "repr": "x"}
            """.utf8))
        var expected = WorkerResponse(id: 3, status: .ok, outputs: ["stats": ArtifactRef(blob: "ff", size: 812, type: "builtins.dict", repr: "{}")],
                                     seconds: 0.0123).with(repr: "x")
        expected.parameters = ["genre", "movies"]
        #expect(ok == expected)
        let failed = try WorkerResponse(payload: Array("""
            {"id": 4, "status": "failed", "error": {"kind": "import", "type": "builtins.ImportError", "message": "m", "traceback": "t"}}
            """.utf8))
        #expect(failed.error == WorkerFailure(kind: .import, type: "builtins.ImportError", message: "m", traceback: "t"))
    }
}

extension WorkerResponse {
    fileprivate func with(repr: String) -> WorkerResponse {
        var response = self
        response.repr = repr
        return response
    }

    func with(index: Int) -> WorkerResponse {
        var response = self
        response.index = index
        return response
    }

    func with(items: ArtifactRef) -> WorkerResponse {
        var response = self
        response.items = items
        return response
    }
}
