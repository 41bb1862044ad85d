import Testing
import FlowBasics
@testable import FlowStore

/// Records written while a transaction is held reach readers together, at its commit; a write
/// that fails inside it undoes only itself.
@Suite struct GroupCommitTests {
    @Test func heldWritesAreSeenOnlyAfterTheCommit() throws {
        let store = TemporaryStore()
        let writer = try StoreWriter(path: store.path)
        let run = try writer.beginRun(NewRun(flow: "Held"))
        try writer.recordStep(run: run, name: "each", position: 0, kind: "foreach", isEnd: true)
        let reader = try StoreReader(path: store.path)
        try writer.holdTransaction()
        for index in 0..<3 {
            let attempt = try writer.startTask(run: run, step: "each", index: [index])
            try writer.finishAttempt(attempt, .completed(["n": artifact("\(index)")]))
        }
        #expect(try reader.tasks(of: run).isEmpty)
        try writer.commitHeld()
        #expect(try reader.tasks(of: run).count == 3)
        try writer.commitHeld()  // nothing held: nothing to do
    }

    @Test func aFailedWriteInsideAHeldTransactionUndoesOnlyItself() throws {
        let store = TemporaryStore()
        let writer = try StoreWriter(path: store.path)
        let run = try writer.beginRun(NewRun(flow: "Held"))
        try writer.recordStep(run: run, name: "each", position: 0, kind: "foreach", isEnd: true)
        try writer.holdTransaction()
        let kept = try writer.startTask(run: run, step: "each", index: [0])
        let failing = try writer.startTask(run: run, step: "each", index: [1])
        #expect(throws: StoreError.self) {
            try writer.finishAttempt(failing, .completed(["n": ArtifactRef(blob: "not a hash", size: 1, type: "int", repr: "1")]))
        }
        try writer.finishAttempt(kept, .completed(["n": artifact("0")]))
        try writer.commitHeld()
        let tasks = try StoreReader(path: store.path).tasks(of: run)
        #expect(tasks.count == 2)
        #expect(tasks.filter { $0.status == .completed }.count == 1)
    }
}
