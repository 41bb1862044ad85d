import FlowStore
import Foundation
import Testing

/// Stopping a run: Ctrl-C and SIGTERM, timeouts and a killed scheduler are recorded as what
/// they are, and what a task started ends with it.
@Suite(.serialized) struct StopTests {
    /// A flow whose second step starts `sleep 1000`, writes its own pid and the child's, then waits.
    private func childFlow(in folder: URL, timeout: String = "") throws {
        let pids = folder.appendingPathComponent("pids").path
        try """
            import os, subprocess, time

            def quick():
                return 1

            def slow(x):
                child = subprocess.Popen(['sleep', '1000'])
                with open(\(String(reflecting: pids + ".tmp")), 'w') as file:
                    file.write(f'{os.getpid()} {child.pid}')
                os.rename(\(String(reflecting: pids + ".tmp")), \(String(reflecting: pids)))
                time.sleep(60)

            """.write(to: folder.appendingPathComponent("steps.py"), atomically: true, encoding: .utf8)
        try "flowspec: 1\nname: Stops\nsteps:\n  start: {run: steps.py:quick, outputs: x, next: end}\n  end: {run: steps.py:slow\(timeout)}\n"
            .write(to: folder.appendingPathComponent("s.yaml"), atomically: true, encoding: .utf8)
    }

    /// The worker's pid and its child's, once the step has written them.
    private func pids(in folder: URL) throws -> (worker: Int32, child: Int32) {
        let file = folder.appendingPathComponent("pids")
        let deadline = Date().addingTimeInterval(20)
        while !FileManager.default.fileExists(atPath: file.path), Date() < deadline { usleep(50_000) }
        let numbers = try String(contentsOf: file, encoding: .utf8).split(separator: " ").compactMap { Int32($0) }
        try #require(numbers.count == 2)
        return (numbers[0], numbers[1])
    }

    /// Whether the latest run's task of `step` reaches the store within 20 s.
    private func waitUntilRecorded(step: String, in store: String) -> Bool {
        let deadline = Date().addingTimeInterval(20)
        repeat {
            if let reader = try? StoreReader(path: store), let run = try? reader.run("latest"),
               (try? reader.task(run: run.id, step: step)) != nil { return true }
            usleep(20_000)
        } while Date() < deadline
        return false
    }

    private func start(_ arguments: [String], in folder: URL, stderr: URL) throws -> Process {
        let process = Process()
        process.executableURL = flowspecBinary
        process.arguments = arguments
        process.currentDirectoryURL = folder
        #expect(FileManager.default.createFile(atPath: stderr.path, contents: nil))
        process.standardOutput = FileHandle.nullDevice
        process.standardError = try FileHandle(forWritingTo: stderr)
        try process.run()
        return process
    }

    @Test(arguments: [SIGINT, SIGTERM])
    func aStopByCtrlCOrSIGTERMIsRecordedAsInterruptedAndEndsWhatTheTaskStarted(signal: Int32) throws {
        let folder = try scratchFolder("stop")
        try childFlow(in: folder)
        let store = folder.appendingPathComponent("store").path
        let errors = folder.appendingPathComponent("stderr")
        let process = try start(["run", "s.yaml", "--store", store], in: folder, stderr: errors)
        let (worker, child) = try pids(in: folder)
        kill(process.processIdentifier, signal)
        process.waitUntilExit()
        #expect(process.terminationStatus == 128 + signal)
        #expect(try String(contentsOf: errors, encoding: .utf8).contains("interrupted after"))
        #expect(waitUntilGone(child), "the task's child \(child) outlived the stopped run")
        let reader = try StoreReader(path: store)
        let run = try reader.run("latest")
        #expect(run.status == .interrupted)
        #expect(try reader.task(run: run.id, step: "end").status == .interrupted)
        let attempt = try #require(try reader.attempts(of: try reader.task(run: run.id, step: "end").id).last)
        #expect(attempt.status == .failed)
        #expect(attempt.error?.kind == "interrupted")
        let name = signal == SIGTERM ? "SIGTERM" : "Ctrl-C"
        #expect(attempt.error?.message == "the run was stopped (\(name)) while this attempt ran")
        #expect(attempt.workerPID == worker && attempt.signal == Int(SIGKILL) && attempt.exitStatus == nil)
    }

    @Test func aTimeoutEndsWhatTheTaskStartedAndRecordsTheWorkersEnd() throws {
        let folder = try scratchFolder("stop")
        try childFlow(in: folder, timeout: ", timeout: 3s")
        let store = folder.appendingPathComponent("store").path
        let errors = folder.appendingPathComponent("stderr")
        let process = try start(["run", "s.yaml", "--store", store], in: folder, stderr: errors)
        let (worker, child) = try pids(in: folder)
        process.waitUntilExit()
        #expect(process.terminationStatus == 1)
        #expect(waitUntilGone(child), "the task's child \(child) outlived its timeout")
        let reader = try StoreReader(path: store)
        let attempt = try #require(try reader.attempts(of: try reader.task(run: try reader.run("latest").id, step: "end").id).last)
        #expect(attempt.error?.kind == "timeout")
        #expect(attempt.workerPID == worker && attempt.signal == Int(SIGKILL))
    }

    @Test func aCompletedAttemptRecordsItsWorker() throws {
        let folder = try scratchFolder("stop")
        try "import os\n\ndef pid():\n    return os.getpid()\n".write(to: folder.appendingPathComponent("steps.py"), atomically: true, encoding: .utf8)
        try "flowspec: 1\nname: Pid\nsteps:\n  start: {run: steps.py:pid, outputs: pid}\n"
            .write(to: folder.appendingPathComponent("p.yaml"), atomically: true, encoding: .utf8)
        let store = folder.appendingPathComponent("store").path
        #expect(try flowspec(["run", "p.yaml", "--store", store, "-q"], in: folder).status == 0)
        let reader = try StoreReader(path: store)
        let task = try reader.task(run: try reader.run("latest").id, step: "start")
        let attempt = try #require(try reader.attempts(of: task.id).first)
        #expect(attempt.workerPID.map(String.init) == (try reader.artifacts(of: task.id).first?.value.repr))
        #expect(attempt.exitStatus == nil && attempt.signal == nil)
    }
}

extension StopTests {
    /// After `kill -9` of the scheduler, before any other run marks it: readers show the run and
    /// its running task as interrupted, and what the task started is gone with its worker.
    @Test func aKilledSchedulersTasksReadAsInterrupted() throws {
        let folder = try scratchFolder("stop")
        try childFlow(in: folder)
        let store = folder.appendingPathComponent("store").path
        let process = try start(["run", "s.yaml", "--store", store], in: folder, stderr: folder.appendingPathComponent("stderr"))
        let (worker, child) = try pids(in: folder)
        // The recorder writes on a thread of its own: kill only once the running task is stored.
        #expect(waitUntilRecorded(step: "end", in: store), "the running task was never recorded")
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        #expect(waitUntilGone(worker) && waitUntilGone(child), "the worker and its child outlived the scheduler")
        let reader = try StoreReader(path: store)
        let run = try reader.run("latest")
        #expect(try reader.task(run: run.id, step: "end").status == .interrupted)
        #expect(try reader.task(run: run.id, step: "start").status == .completed)
        let inspected = try flowspec(["inspect", "\(run.flow)/\(run.id)/end", "--store", store], in: folder)
        let statusLine = inspected.stdout.split(separator: "\n").first { $0.trimmingCharacters(in: .whitespaces).hasPrefix("status") }
        #expect(inspected.status == 0 && statusLine?.hasSuffix(" interrupted") == true, "\(inspected.stdout)")
        let script = "from flowspec import Flow\nprint(Flow('Stops').latest_run['end'].task.status)\n"
        let python = try runProgram(["/usr/bin/env", "python3", "-c", script], in: folder,
                                    env: ["PYTHONPATH": repositoryRoot.appendingPathComponent("python").path, "FLOWSPEC_STORE": store])
        #expect(python.stdout == "interrupted\n", "\(python.stderr)")
    }
}
