import Testing
import FlowBasics
@testable import FlowStore

@Suite struct RunLifecycleTests {
    /// start → per_item (foreach over 12 items) → combine (join) → end, one failed attempt retried.
    @Test func aWholeRunReadsBackAsWritten() throws {
        let store = TemporaryStore()
        let writer = try StoreWriter(path: store.path)
        let spec = try writer.writeRawBlob(Array("name: Movies\n".utf8))
        let run = try writer.beginRun(NewRun(
            flow: "Movies", project: "demo", params: ["top": artifact("5")], tags: ["nightly", "v2"],
            user: "ana", specPath: "specs/movies.yaml", specBlob: spec, codeFingerprint: "abc",
            pythonVersion: "3.11.7", pythonExecutable: "/usr/bin/python3"))
        try writer.recordCodeFile(run: run, path: "movies.py", bytes: Array("def load(): ...\n".utf8))
        for (position, (name, kind)) in [("start", "start"), ("per_item", "foreach"), ("combine", "join"), ("end", "end")].enumerated() {
            try writer.recordStep(run: run, name: name, position: position, kind: kind, isEnd: name == "end")
        }

        let start = try writer.startTask(run: run, step: "start")
        try writer.finishAttempt(start, .completed(["movies": artifact("m"), "genres": artifact("g"), "label": artifact("x")],
                                                   seconds: 0.01, stdout: "loaded\n"))
        var items: [TaskID] = []
        for position in [11, 3, 10, 0, 1, 2, 4, 5, 6, 7, 8, 9] {
            let attempt = try writer.startTask(run: run, step: "per_item", index: [position], parents: [start.task])
            if position == 3 {
                try writer.finishAttempt(attempt, .failed(AttemptError(kind: "exception", type: "ValueError",
                                                                       message: "bad item", traceback: "Traceback…"),
                                                          exitStatus: 0, stderr: "oops\n"))
                let retry = try writer.startAttempt(attempt.task)
                #expect(retry.number == 2)
                try writer.finishAttempt(retry, .completed(["stats": artifact("s\(position)"), "label": artifact("x")]))
            } else {
                try writer.finishAttempt(attempt, .completed(["stats": artifact("s\(position)"), "label": artifact("x")]))
            }
            items.append(attempt.task)
        }
        let orderedItems = try StoreReader(path: store.path).tasks(of: run, step: "per_item").map(\.id)
        let combine = try writer.startTask(run: run, step: "combine", parents: orderedItems)
        try writer.finishAttempt(combine, .completed(["table": artifact("t")]))
        let end = try writer.startTask(run: run, step: "end", parents: [combine.task])
        try writer.finishAttempt(end, .completed([:]))
        try writer.finishRun(run, status: .completed)

        let reader = try StoreReader(path: store.path)
        #expect(try reader.flows() == [FlowRecord(name: "Movies", project: "demo", createdAt: try reader.flows()[0].createdAt)])
        let record = try reader.run(run.rawValue)
        #expect(record.status == .completed)
        #expect(record.params == ["top": artifact("5")])
        #expect(record.tags == ["user:ana", "flowspec_version:\(flowspecVersion)", "python_version:3.11.7", "nightly", "v2"])
        #expect(record.user == "ana")
        #expect(record.specBlob == spec)
        #expect(record.pythonVersion == "3.11.7")
        #expect(record.finishedAt != nil)
        #expect(record.schedulerHost == System.hostName)
        #expect(try reader.readBlob(spec) == Array("name: Movies\n".utf8))
        #expect(try reader.codeFiles(of: run).map(\.path) == ["movies.py"])

        #expect(try reader.steps(of: run).map(\.name) == ["start", "per_item", "combine", "end"])
        let tasks = try reader.tasks(of: run)
        #expect(tasks.map(\.path) == ["start"] + (0..<12).map { "per_item/\($0)" } + ["combine", "end"])
        #expect(tasks.allSatisfy { $0.status == .completed })
        #expect(tasks[4].foreachIndex == 3)

        let retried = try reader.task(run: run, step: "per_item", index: [3])
        let attempts = try reader.attempts(of: retried.id)
        #expect(attempts.map(\.status) == [.failed, .completed])
        #expect(attempts[0].error == AttemptError(kind: "exception", type: "ValueError", message: "bad item", traceback: "Traceback…"))
        #expect(attempts[0].stderr == "oops\n")
        #expect(attempts[1].error == nil)
        #expect(try reader.attempts(of: start.task)[0].stdout == "loaded\n")
        #expect(try reader.artifacts(of: retried.id).map(\.name) == ["label", "stats"])

        // One item sees its own stats over what start made, and the params.
        let item = try reader.visibleArtifacts(of: retried.id)
        #expect(Set(item.keys) == ["top", "movies", "genres", "label", "stats"])
        #expect(item["movies"]?.task == start.task)
        // After the join: `stats` differs per item and is gone; `label` is the same everywhere and stays.
        let data = try #require(try reader.runArtifacts(of: run))
        #expect(Set(data.keys) == ["top", "movies", "genres", "label", "table"])
        #expect(data["table"]?.value == artifact("t"))
        #expect(try reader.endTask(of: run)?.id == end.task)
    }

    @Test func aResumedRunReusesTasksWithTheirArtifacts() throws {
        let store = TemporaryStore()
        let writer = try StoreWriter(path: store.path)
        let first = try writer.beginRun(NewRun(flow: "F"))
        try writer.recordStep(run: first, name: "start", position: 0, kind: "start")
        let start = try writer.startTask(run: first, step: "start")
        try writer.finishAttempt(start, .completed(["x": artifact("1")]))
        try writer.finishRun(first, status: .failed)

        let second = try writer.beginRun(NewRun(flow: "F", originRun: first, resumeFrom: "end"))
        try writer.recordStep(run: second, name: "start", position: 0, kind: "start")
        let reused = try writer.reuseTask(run: second, step: "start", origin: start.task)

        let reader = try StoreReader(path: store.path)
        let task = try reader.task(reused)
        #expect(task.status == .reused)
        #expect(task.originTask == start.task)
        #expect(try reader.artifacts(of: reused).map(\.value) == [artifact("1")])
        #expect(try reader.run(second.rawValue).originRun == first)
        #expect(try reader.runArtifacts(of: second) == nil)
    }

    @Test func nestedForeachTasksSortByEveryLevel() throws {
        let store = TemporaryStore()
        let writer = try StoreWriter(path: store.path)
        let run = try writer.beginRun(NewRun(flow: "Nested"))
        try writer.recordStep(run: run, name: "inner", position: 0, kind: "foreach")
        for index in [[10, 0], [2, 1], [2, 0], [1, 12], [1, 2]] {
            try writer.addTask(run: run, step: "inner", index: index)
        }
        let tasks = try StoreReader(path: store.path).tasks(of: run)
        #expect(tasks.map(\.index) == [[1, 2], [1, 12], [2, 0], [2, 1], [10, 0]])
        #expect(tasks.allSatisfy { $0.status == .pending })
        let stored = try writer.database.query("SELECT index_path FROM tasks ORDER BY index_key") { $0.string(0) }
        #expect(stored == ["[1,2]", "[1,12]", "[2,0]", "[2,1]", "[10,0]"])
    }

    @Test func rejectsAnArtifactWhoseHashIsNotOne() throws {
        let store = TemporaryStore()
        let writer = try StoreWriter(path: store.path)
        let run = try writer.beginRun(NewRun(flow: "F"))
        try writer.recordStep(run: run, name: "start", position: 0, kind: "start")
        let attempt = try writer.startTask(run: run, step: "start")
        let bad = ArtifactRef(blob: "../../etc/passwd", size: 1, type: "t", repr: "r")
        #expect(throws: StoreError.self) { try writer.finishAttempt(attempt, .completed(["x": bad])) }
        // The failed call left nothing half-written.
        #expect(try StoreReader(path: store.path).task(attempt.task).status == .running)
    }
}
