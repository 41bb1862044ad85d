import FlowBasics
import FlowPreviews
import FlowStore
import Foundation
import LocalExecution
import Testing
import WorkerProtocol

/// `PreviewMaker` with real workers: a preview made, cached, and bounded in time and size.
@Suite struct PreviewMakerTests {
    static let steps = """
        import time

        class Slow:
            \"\"\"Unpickling it sleeps: a value whose loading never ends.\"\"\"
            def __reduce__(self):
                return (time.sleep, (600,))

        def slow():
            return Slow()

        def mapping():
            return {"model": {"alpha": 0.5}, "<b>": [1, 2]}
        """

    /// Stores what the function `name` of the steps returns, through a worker's task.
    static func stored(_ name: String, folder: URL, store: String) throws -> ArtifactRef {
        let worker = try WorkerProcess(environment: PythonEnvironment.discover(), flowspecExecutable: binary)
        defer { worker.shutDown() }
        let response = try worker.send(.task(WorkerTaskRequest(
            id: 1, store: store, step: name, task: name, function: FunctionRef(kind: .file, source: folder.appendingPathComponent("steps.py").path, name: name),
            path: [folder.path], outputs: OutputsSpec(kind: .single, names: ["out"]))))
        return try #require(response.outputs?["out"], "\(response)")
    }

    static func scratch() throws -> (URL, String) {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("flowspec-previews-\(UUID())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try steps.write(to: folder.appendingPathComponent("steps.py"), atomically: true, encoding: .utf8)
        return (folder, folder.appendingPathComponent("store").path)
    }

    @Test func aPreviewIsMadeOnceAndThenReadFromTheStore() throws {
        let (folder, store) = try Self.scratch()
        let value = try Self.stored("mapping", folder: folder, store: store)
        let maker = PreviewMaker(store: store, flowspecExecutable: Self.binary)
        defer { maker.shutDown() }
        let preview = try maker.preview(of: value, interpreter: "python3", run: RunID("r"), code: []).get()
        #expect(preview.kind == .tree)
        #expect(preview.tree?.children?.map(\.key) == ["model", "<b>"])
        #expect(FileManager.default.fileExists(atPath: "\(store)/previews/\(value.blob.prefix(2))/\(value.blob).json"))
        let again = maker.preview(of: value, interpreter: "/no/such/python3", run: RunID("r"), code: [])
        #expect(try again.get() == preview, "read from the cache: no worker is asked")
    }

    @Test func aPreviewThatTakesTooLongIsStoppedAndTheNextOneIsMade() throws {
        let (folder, store) = try Self.scratch()
        let slow = try Self.stored("slow", folder: folder, store: store)
        let mapping = try Self.stored("mapping", folder: folder, store: store)
        let maker = PreviewMaker(store: store, timeout: 1, flowspecExecutable: Self.binary)
        defer { maker.shutDown() }
        // Its pickle is the call `time.sleep(600)`: loading it needs no code of the steps.
        let stopped = maker.preview(of: slow, interpreter: "python3", run: RunID("r"), code: [])
        #expect(throws: PreviewFailure.self) { try stopped.get() }
        if case .failure(let failure) = stopped { #expect(failure.description == "it took longer than 1 s") }
        #expect(try maker.preview(of: mapping, interpreter: "python3", run: RunID("r"), code: []).get().kind == .tree,
                "a new worker takes the killed one's place")
    }

    @Test func aValueLargerThanPreviewsLoadIsNotLoaded() throws {
        let (_, store) = try Self.scratch()
        let maker = PreviewMaker(store: store, largestValue: 100, flowspecExecutable: Self.binary)
        let value = ArtifactRef(blob: String(repeating: "a", count: 64), size: 101, type: "builtins.bytes", repr: "b''")
        let result = maker.preview(of: value, interpreter: "/no/such/python3", run: RunID("r"), code: [])
        if case .failure(let failure) = result { #expect(failure.description.contains("larger than previews load")) } else {
            Issue.record("a preview was made")
        }
    }

    static let binary: String = {
        var folder = Bundle.main.bundleURL
        for _ in 0..<4 where !FileManager.default.fileExists(atPath: folder.appendingPathComponent("flowspec").path) {
            folder.deleteLastPathComponent()
        }
        return folder.appendingPathComponent("flowspec").path
    }()
}
