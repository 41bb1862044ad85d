import FlowStore
import LocalExecution
import WorkerProtocol
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// One Python worker that reads a run's values for a reading command (`get`, `inspect`): in the
/// interpreter the run used if it is still there, else the `python3` on PATH, told the run's code
/// snapshot so that values of the run's own classes load.
struct RunWorker {
    private let process: WorkerProcess
    let run: RunRecord
    let store: String
    let code: [CodeFileRef]

    init(run: RunRecord, context: ReadingContext) throws {
        self.run = run
        store = context.storePath
        code = try context.reader.codeSnapshot(of: run.id).map { CodeFileRef(path: $0.path, blob: $0.blob, module: $0.module) }
        process = try WorkerProcess(environment: try PythonEnvironment.discover(executable: Self.interpreter(of: run)))
    }

    func send(_ request: WorkerRequest) throws -> WorkerResponse {
        try process.send(request)
    }

    func shutDown() { process.shutDown() }

    /// The interpreter the run used, if it is still there; else `python3` on PATH.
    private static func interpreter(of run: RunRecord) -> String {
        guard let executable = run.pythonExecutable, FileManager.default.isExecutableFile(atPath: executable) else { return "python3" }
        return executable
    }
}
