import Foundation
import Testing

/// What `flowspec run` says while it runs and when it ends, on a terminal (a pseudo-terminal
/// from util-linux's `script`) and off one.
@Suite struct ProgressTests {
    private static func write(_ text: String, _ name: String, in folder: URL) throws {
        try text.write(to: folder.appendingPathComponent(name), atomically: true, encoding: .utf8)
    }

    /// A slow step after a quick one, then a fan-out of 24 short tasks.
    private static func slowFlow() throws -> URL {
        let folder = try scratchFolder("progress")
        try write("""
            import time

            def quick():
                return list(range(24))

            def slow():
                time.sleep(1.5)

            def each(item):
                time.sleep(0.1)
                return item
            """, "steps.py", in: folder)
        try write("""
            flowspec: 1
            name: Slow
            steps:
              start: {run: steps.py:quick, outputs: items, next: slow}
              slow: {run: steps.py:slow, next: each}
              each: {foreach: items, run: steps.py:each, outputs: v, next: join}
              join: {join: true, next: end}
              end: {}
            """, "f.yaml", in: folder)
        return folder
    }

    /// Runs `arguments` under a pseudo-terminal; what the terminal showed.
    private static func onATerminal(_ arguments: [String], in folder: URL) throws -> Outcome {
        let command = (["env", "-u", "NO_COLOR", flowspecBinary.path] + arguments).map(ShellWords.quoted).joined(separator: " ")
        return try runProgram(["/usr/bin/script", "-qfec", command, "/dev/null"], in: folder)
    }

    @Test func onATerminalTheClockMovesWhileATaskRunsAndTheRunningStepIsShown() throws {
        let folder = try Self.slowFlow()
        let shown = try Self.onATerminal(["run", "f.yaml", "--store", "st", "--max-workers", "2"], in: folder)
        #expect(shown.status == 0, "\(shown.stdout)")
        // The clock line is redrawn while `slow` sleeps, not only when a task starts or ends.
        let lines = shown.stdout.replacingOccurrences(of: "\r", with: "").components(separatedBy: "\n")
        #expect(lines.first?.hasPrefix("Slow/") == true, "the run's id comes first, untouched")
        let clocks = Set(lines.compactMap { line -> String? in
            let text = line.components(separatedBy: "\u{1B}[K")[0]
            return text.hasPrefix("  ") && text.hasSuffix("s") && Double(text.dropFirst(2).dropLast()) != nil ? text : nil
        })
        #expect(clocks.count >= 8, "\(clocks.sorted())")
        #expect(shown.stdout.contains("… slow  0/1  running 1"), "the step that runs, while it runs")
        #expect(shown.stdout.contains("✓ start  1/1"))
        #expect(shown.stdout.contains("ETA "), "a fan-out of 24 shows the time left")
    }

    @Test func offATerminalALineOfCountsComesWhileNothingElseIsPrinted() throws {
        let folder = try Self.slowFlow()
        let outcome = try flowspec(["run", "f.yaml", "--store", "st", "--max-workers", "2"], in: folder,
                                   env: ["FLOWSPEC_PROGRESS_INTERVAL": "0.4"])
        #expect(outcome.status == 0, "\(outcome.stderr)")
        let status = outcome.stderr.components(separatedBy: "\n").filter { $0.hasPrefix("… ") }
        #expect(status.contains { $0.contains("tasks done, 1 running; slow 0/1  running 1") }, "\(outcome.stderr)")
        #expect(outcome.stderr.contains("✓ each 24/24\n"))
    }

    @Test func aLoopSaysOnceThatItsStepsFinished() throws {
        let outcome = try flowspec(["run", "specs/valid/switch_loop.yaml", "--store",
                                    try scratchFolder("loop").appendingPathComponent("st").path])
        #expect(outcome.status == 0, "\(outcome.stderr)")
        let lines = outcome.stderr.components(separatedBy: "\n")
        #expect(lines.filter { $0.hasPrefix("✓ train_epoch ") }.count == 1, "\(outcome.stderr)")
        #expect(lines.filter { $0.hasPrefix("✓ check ") }.count == 1)
        #expect(lines.filter { $0.hasPrefix("✓ ") }.count == 9, "eight steps and the summary")
    }

    @Test func aFailedRunEndsWithTheResumeCommandThatContinuesIt() throws {
        let folder = try scratchFolder("resume hint")
        let flows = folder.appendingPathComponent("my flows")
        try FileManager.default.createDirectory(at: flows, withIntermediateDirectories: true)
        try Self.write("import os\n\ndef start():\n    return 1\n\ndef end():\n    if os.path.exists('fail'):\n        raise ValueError('not yet')\n",
                       "steps.py", in: flows)
        try Self.write("flowspec: 1\nname: Hint\nsteps:\n  start: {run: steps.py:start, next: end}\n  end: {run: steps.py:end}\n",
                       "f.yaml", in: flows)
        FileManager.default.createFile(atPath: folder.appendingPathComponent("fail").path, contents: nil)
        let failed = try flowspec(["run", "my flows/f.yaml", "--store", "the store"], in: folder)
        #expect(failed.status == 1)
        let id = try #require(failed.stdout.split(separator: "\n").first.map(String.init))
        let last = try #require(failed.stderr.split(separator: "\n").last.map(String.init))
        #expect(last == "to continue it: flowspec resume 'my flows/f.yaml' \(id) --store 'the store'")
        // Pasted into a shell in the same folder, it finishes the run.
        try FileManager.default.removeItem(at: folder.appendingPathComponent("fail"))
        let command = String(last.dropFirst("to continue it: ".count))
        let resumed = try runProgram(["/bin/sh", "-c", command], in: folder,
                                     env: ["PATH": flowspecBinary.deletingLastPathComponent().path + ":" + (ProcessInfo.processInfo.environment["PATH"] ?? "")])
        #expect(resumed.status == 0, "\(resumed.stderr)")
        #expect(resumed.stderr.contains("resuming \(id)"))
    }
}

/// Shell words for a command line given to `script -c`.
enum ShellWords {
    static func quoted(_ word: String) -> String {
        "'" + word.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}
