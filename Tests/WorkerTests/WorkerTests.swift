import FlowRuntime
import Foundation
import LocalExecution
import Testing
import WorkerProtocol

/// `.build/<configuration>/flowspec`, beside the test bundle.
private let flowspecBinary: String = {
    var folder = Bundle.main.bundleURL
    for _ in 0..<4 where !FileManager.default.fileExists(atPath: folder.appendingPathComponent("flowspec").path) {
        folder.deleteLastPathComponent()
    }
    return folder.appendingPathComponent("flowspec").path
}()

/// A temporary folder with a store and a steps file, removed at the end of the test.
private final class Scratch {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("flowspec-worker-\(UUID())")
    var store: String { folder.appendingPathComponent(".flowspec").path }

    init(steps: String) throws {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try steps.write(to: folder.appendingPathComponent("steps.py"), atomically: true, encoding: .utf8)
    }

    deinit { try? FileManager.default.removeItem(at: folder) }

    var steps: String { folder.appendingPathComponent("steps.py").path }

    func task(_ id: Int, _ name: String, bound: [String: ValueRef] = [:], available: [String: ValueRef] = [:],
              outputs: OutputsSpec = OutputsSpec(kind: .single, names: ["out"])) -> WorkerRequest {
        .task(WorkerTaskRequest(id: id, store: store, step: name, task: "\(name)[0]",
                          function: FunctionRef(kind: .file, source: steps, name: name),
                          path: [folder.path], bound: bound, available: available, outputs: outputs))
    }
}

private let stepsSource = """
    import os
    import numpy as np

    def double(n, extra=0):
        print("doubling", n)
        os.write(1, b"a C-level write to fd 1\\n")
        return {"n": n * 2 + extra}

    def total(values):
        return sum(values)

    def array(n):
        return np.arange(n, dtype=np.float64)

    def mean(a):
        return float(a.mean())

    def trivial():
        return None

    def crash():
        os._exit(3)

    def fail():
        raise KeyError("missing")
    """

private func startWorker() throws -> WorkerProcess {
    try WorkerProcess(environment: PythonEnvironment.discover(), flowspecExecutable: flowspecBinary)
}

@Suite struct WorkerTests {
    @Test func discoversThePythonOnPath() throws {
        let python = try PythonEnvironment.discover()
        #expect(python.version.hasPrefix("3."))
        #expect(FileManager.default.fileExists(atPath: python.executable))
        #expect(!python.libdir.isEmpty)
        #expect(try PythonEnvironment.discover() == python)
    }

    @Test func aMissingInterpreterIsAClearError() {
        let error = #expect(throws: PythonEnvironmentError.self) {
            try PythonEnvironment.discover(executable: "/no/such/python3")
        }
        #expect(error?.description.contains("/no/such/python3") == true)
    }

    /// A request over the protocol's frame limit fails at once, naming its size; the worker,
    /// sent nothing, answers the next request.
    @Test func aRequestTooLargeToSendIsRefusedAndTheWorkerGoesOn() throws {
        let scratch = try Scratch(steps: stepsSource)
        let worker = try startWorker()
        let huge = String(repeating: "x", count: WorkerFrames.maximumSize)
        let error = #expect(throws: WorkerError.self) {
            try worker.send(scratch.task(1, "double", bound: ["n": .literal(.string(huge))]))
        }
        #expect(error?.description.contains("over the worker protocol's limit of 64 MiB, and was not sent") == true,
                "\(String(describing: error))")
        let response = try worker.send(scratch.task(2, "double", bound: ["n": .literal(.int(2))]))
        #expect(response.status == .ok, "\(String(describing: response.error))")
    }

    @Test func saysHelloWithItsInterpreter() throws {
        let worker = try startWorker()
        let python = try PythonEnvironment.discover()
        #expect(worker.hello.protocol == 1)
        #expect(worker.hello.pid == worker.pid)
        #expect(worker.hello.python == python.version)
        #expect(worker.hello.executable == python.executable)
    }

    @Test func putLengthAndTask() throws {
        let scratch = try Scratch(steps: stepsSource)
        let worker = try startWorker()
        let put = try worker.send(.put(PutRequest(id: 1, store: scratch.store, values: ["n": .json(.int(20)),
                                                                                       "ns": .json(.array([.int(1), .int(2), .int(3)]))])))
        #expect(put.status == .ok)
        let n = try #require(put.outputs?["n"])
        #expect(n.type == "builtins.int" && n.repr == "20")
        #expect(FileManager.default.fileExists(atPath: "\(scratch.store)/blobs/\(n.blob.prefix(2))/\(n.blob)"))

        let length = try worker.send(.length(ValueRequest(id: 2, store: scratch.store, value: .blob(try #require(put.outputs?["ns"]).blob))))
        #expect(length.status == .ok && length.length == 3)

        let doubled = try worker.send(scratch.task(3, "double", bound: ["extra": .literal(.int(1))],
                                                   available: ["n": .blob(n.blob), "item": .literal(.string("x"))],
                                                   outputs: OutputsSpec(kind: .mapping, names: ["*"])))
        #expect(doubled.status == .ok, "\(doubled)")
        #expect(doubled.printed.stdout == "doubling 20\na C-level write to fd 1\n", "both kept, and the protocol's frames intact")
        let record = try #require(doubled.outputs?["n"])
        #expect(record.repr == "41")

        let total = try worker.send(scratch.task(4, "total", bound: ["values": .list([.blob(record.blob), .literal(.int(1))])]))
        #expect(total.outputs?["out"]?.repr == "42")
        #expect(total.seconds != nil)
    }

    @Test func userExceptionsAreFailedResponses() throws {
        let scratch = try Scratch(steps: stepsSource)
        let worker = try startWorker()
        let response = try worker.send(scratch.task(1, "fail"))
        #expect(response.status == .failed)
        #expect(response.error?.kind == .exception)
        #expect(response.error?.type == "builtins.KeyError")
        #expect(response.error?.traceback.contains("in fail") == true)
        let binding = try worker.send(scratch.task(2, "double"))
        #expect(binding.error?.kind == .binding)
        #expect(binding.error?.message.contains("'n'") == true)
    }

    @Test func numpyImportsAndArraysRoundTrip() throws {
        let scratch = try Scratch(steps: stepsSource)
        let worker = try startWorker()
        let made = try worker.send(scratch.task(1, "array", bound: ["n": .literal(.int(1001))]))
        #expect(made.status == .ok, "\(made)")
        let array = try #require(made.outputs?["out"])
        #expect(array.type == "numpy.ndarray")
        let mean = try worker.send(scratch.task(2, "mean", bound: ["a": .blob(array.blob)]))
        #expect(mean.outputs?["out"]?.repr == "500.0")
    }

    @Test func aTaskThatExitsIsADeadWorkerWithItsStatus() throws {
        let scratch = try Scratch(steps: stepsSource)
        let worker = try startWorker()
        let error = #expect(throws: WorkerError.self) { try worker.send(scratch.task(1, "crash")) }
        guard case let .died(pid, status, _, during) = error else {
            Issue.record("expected a dead worker, got \(String(describing: error))")
            return
        }
        #expect(pid == worker.pid && status == .exited(3) && during == "task crash[0]")
        #expect(error?.description.contains("exited with status 3") == true)
        #expect(throws: WorkerError.self) { try worker.send(scratch.task(2, "trivial")) }
    }

    @Test func aKilledWorkerNamesTheSignal() throws {
        let scratch = try Scratch(steps: stepsSource + "\nimport time\ndef sleep():\n    time.sleep(30)\n")
        let worker = try startWorker()
        DispatchQueue.global().asyncAfter(deadline: .now() + 0.3) { worker.terminate(signal: SIGKILL) }
        let error = #expect(throws: WorkerError.self) { try worker.send(scratch.task(1, "sleep")) }
        #expect(error?.description.contains("killed by signal 9 (SIGKILL)") == true)
    }

    @Test func aWorkerWhoseStdinClosesExits() throws {
        let worker = try startWorker()
        #expect(worker.closeInput() == .exited(0))
    }

    @Test func anExitRequestEndsTheWorker() throws {
        let worker = try startWorker()
        _ = try worker.send(.exit(id: 1))
        worker.shutDown()
        #expect(worker.exitStatus == .exited(0))
    }

    @Test func aWrongInterpreterVersionFailsAtStartWithAClearMessage() throws {
        let python = try PythonEnvironment.discover()
        let fake = PythonEnvironment(executable: python.executable, version: "3.99.0", libdir: python.libdir, prefix: python.prefix)
        let error = #expect(throws: WorkerError.self) { try WorkerProcess(environment: fake, flowspecExecutable: flowspecBinary) }
        #expect(error?.description.contains("is Python 3.99.0 but the libpython loaded for it is") == true, "\(String(describing: error))")
    }

    @Test func oneWarmWorkerAnswersManyTasks() throws {
        let scratch = try Scratch(steps: stepsSource)
        let worker = try startWorker()
        for id in 1...200 {
            let response = try worker.send(scratch.task(id, "trivial", outputs: OutputsSpec(kind: .default, names: ["trivial"])))
            #expect(response.status == .ok && response.id == id)
        }
        #expect(kill(worker.pid, 0) == 0)
    }

    @Test func helperBytecodeIsCachedAndABadCacheIsReplaced() throws {
        let cache = FileManager.default.temporaryDirectory.appendingPathComponent("flowspec-cache-\(UUID())")
        defer { try? FileManager.default.removeItem(at: cache) }
        let start = { try WorkerProcess(environment: PythonEnvironment.discover(), flowspecExecutable: flowspecBinary,
                                        extraEnv: ["FLOWSPEC_CACHE_DIR": cache.path]) }
        let scratch = try Scratch(steps: stepsSource)
        let trivial = { (worker: WorkerProcess) in
            try worker.send(scratch.task(1, "trivial", outputs: OutputsSpec(kind: .default, names: ["trivial"]))).status
        }
        #expect(try trivial(start()) == .ok)
        let folder = cache.appendingPathComponent("bytecode")
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path)
        #expect(files.count == 1 && files[0].hasPrefix("runtime-") && files[0].hasSuffix(".marshal"), "\(files)")
        let file = folder.appendingPathComponent(files[0])
        let written = try Data(contentsOf: file)
        try Data("not marshal data".utf8).write(to: file)
        #expect(try trivial(start()) == .ok)
        #expect(try Data(contentsOf: file) == written)
    }
}
