import FlowBasics
import FlowStore
import Glibc

/// A store with runs written through `StoreWriter`, as a scheduler writes them.
struct RunFixture {
    let folder: String
    let writer: StoreWriter
    var path: String { "\(folder)/store" }

    init() throws {
        var template = Array("/tmp/flowreport-test-XXXXXX".utf8CString)
        folder = template.withUnsafeMutableBufferPointer { String(cString: mkdtemp($0.baseAddress!)) }
        writer = try StoreWriter(path: "\(folder)/store")
    }

    var reader: StoreReader { get throws { try StoreReader(path: path) } }

    static let spec = """
        flowspec: 1
        name: Shapes
        steps:
          start:
            run: steps.py:start
            next: each
          each:
            foreach: items
            run: steps.py:each
            next: join
          join:
            join: true
            run: steps.py:join
            next: end
          end:
            run: steps.py:end
        """

    /// A run of `spec`: start, `count` foreach tasks (the one at `failing` fails with `error`),
    /// the join and the end when nothing failed.
    func run(count: Int = 3, failing: Int? = nil, error: AttemptError? = nil, tags: [String] = [],
             params: [String: ArtifactRef] = [:], stdout: String = "", outputName: String = "value") throws -> RunID {
        let blob = try writer.writeRawBlob(Array(Self.spec.utf8))
        let run = try writer.beginRun(NewRun(flow: "Shapes", params: params, tags: tags, user: "ada", specPath: "flow.yaml", specBlob: blob))
        for (position, (name, kind)) in [("start", "start"), ("each", "foreach"), ("join", "join"), ("end", "end")].enumerated() {
            try writer.recordStep(run: run, name: name, position: position, kind: kind, isEnd: name == "end")
        }
        let start = try writer.startTask(run: run, step: "start")
        try writer.finishAttempt(start, .completed(["items": value("items")], stdout: stdout))
        var children: [TaskID] = []
        for index in 0..<count {
            let attempt = try writer.startTask(run: run, step: "each", index: [index], parents: [start.task])
            children.append(attempt.task)
            if index == failing, let error {
                try writer.finishAttempt(attempt, .failed(error, stdout: stdout, stderr: stdout))
            } else {
                try writer.finishAttempt(attempt, .completed([outputName: value("v\(index)")]))
            }
        }
        guard failing == nil else {
            try writer.finishRun(run, status: .failed, failure: "each/\(failing!): \(error?.summary ?? "")")
            return run
        }
        let join = try writer.startTask(run: run, step: "join", parents: children)
        try writer.finishAttempt(join, .completed(["total": value("total")]))
        let end = try writer.startTask(run: run, step: "end", parents: [join.task])
        try writer.finishAttempt(end, .completed([:]))
        try writer.finishRun(run, status: .completed)
        return run
    }

    func value(_ seed: String, repr: String? = nil, type: String = "builtins.int") -> ArtifactRef {
        ArtifactRef(blob: BlobHash.of(Array(seed.utf8)), size: Int64(seed.utf8.count), type: type, repr: repr ?? seed)
    }
}
