import Dispatch
import Testing
@testable import FlowStore

@Suite struct ConcurrencyTests {
    /// Two schedulers, each with its own connection, write runs of the same flow at once.
    @Test func twoWritersOnOneStoreBothSucceed() throws {
        let store = TemporaryStore()
        let path = store.path
        let failures = Failures()
        DispatchQueue.concurrentPerform(iterations: 2) { _ in
            do {
                let writer = try StoreWriter(path: path)
                let run = try writer.beginRun(NewRun(flow: "Same"))
                try writer.recordStep(run: run, name: "each", position: 0, kind: "foreach", isEnd: true)
                for index in 0..<100 {
                    let attempt = try writer.startTask(run: run, step: "each", index: [index])
                    try writer.finishAttempt(attempt, .completed(["n": artifact("\(index)")]))
                }
                _ = try writer.writeRawBlob(Array("shared code".utf8))
                try writer.finishRun(run, status: .completed)
            } catch {
                failures.add("\(error)")
            }
        }
        #expect(failures.all.isEmpty)
        let reader = try StoreReader(path: path)
        let runs = try reader.runs(flow: "Same")
        #expect(runs.count == 2)
        for run in runs {
            #expect(run.status == .completed)
            #expect(try reader.tasks(of: run.id).count == 100)
        }
    }

    /// A reader polls while a writer adds tasks: every read succeeds and sees a whole state.
    @Test func aReaderReadsWhileAWriterWrites() throws {
        let store = TemporaryStore()
        let path = store.path
        let writer = try StoreWriter(path: path)
        let run = try writer.beginRun(NewRun(flow: "Busy"))
        try writer.recordStep(run: run, name: "each", position: 0, kind: "foreach")
        let failures = Failures()
        DispatchQueue.concurrentPerform(iterations: 2) { lane in
            do {
                if lane == 0 {
                    let writer = try StoreWriter(path: path)
                    for index in 0..<200 {
                        let attempt = try writer.startTask(run: run, step: "each", index: [index])
                        try writer.finishAttempt(attempt, .completed(["n": artifact("\(index)")]))
                    }
                    try writer.finishRun(run, status: .completed)
                } else {
                    let reader = try StoreReader(path: path)
                    var seen = 0
                    while true {
                        let record = try reader.run(run.rawValue)
                        let tasks = try reader.tasks(of: run)
                        if tasks.count < seen { failures.add("task count went back from \(seen) to \(tasks.count)") }
                        seen = tasks.count
                        if tasks.contains(where: { $0.status == .completed && (try? reader.artifacts(of: $0.id).count) != 1 }) {
                            failures.add("a completed task without its artifact")
                        }
                        if record.status == .completed { break }
                    }
                    if seen != 200 { failures.add("saw \(seen) tasks at the end") }
                }
            } catch {
                failures.add("\(error)")
            }
        }
        #expect(failures.all.isEmpty)
    }

    @Test func aReaderCannotWrite() throws {
        let store = TemporaryStore()
        _ = try StoreWriter(path: store.path).beginRun(NewRun(flow: "F"))
        let reader = try StoreReader(path: store.path)
        #expect(throws: DatabaseError.self) { try reader.database.execute("DELETE FROM runs") }
        #expect(try reader.runs().count == 1)
    }
}

/// Failures collected from several threads.
final class Failures: @unchecked Sendable {
    private let lock = DispatchQueue(label: "failures")
    private var messages: [String] = []
    func add(_ message: String) { lock.sync { messages.append(message) } }
    var all: [String] { lock.sync { messages } }
}
