import Foundation
import Testing

/// Tags through the built binary: the system tags a run gets, `--tag`, `flowspec tag
/// add|remove|list`, `flowspec runs --tag --status --user`, and the tags a resumed run keeps.
@Suite struct TagCommandTests {
    /// A folder with a two-step flow, and a store.
    private struct Flow {
        let folder: URL
        var store: String { folder.appendingPathComponent("store").path }

        init() throws {
            folder = try scratchFolder("tags")
            try "def start():\n    return 1\n\ndef end(start):\n    return start + 1\n"
                .write(to: folder.appendingPathComponent("steps.py"), atomically: true, encoding: .utf8)
            try "flowspec: 1\nname: Tagged\nsteps:\n  start: {run: steps.py:start, next: end}\n  end: {run: steps.py:end}\n"
                .write(to: folder.appendingPathComponent("flow.yaml"), atomically: true, encoding: .utf8)
        }

        /// Runs the flow (or another command on it); returns its `FLOW/ID`.
        func run(_ arguments: [String] = [], command: String = "run", env: [String: String] = [:]) throws -> String {
            let outcome = try flowspec([command, "flow.yaml", "-q", "--store", store] + arguments, in: folder, env: env)
            #expect(outcome.status == 0, "\(outcome.stderr)")
            return String(outcome.stdout.split(separator: "\n").first ?? "")
        }

        func call(_ arguments: [String]) throws -> Outcome {
            try flowspec(arguments + ["--store", store], in: folder)
        }

        func tags(_ run: String) throws -> [String: [String]] {
            let outcome = try call(["tag", "list", run, "--json"])
            #expect(outcome.status == 0, "\(outcome.stderr)")
            let object = try #require(try JSONSerialization.jsonObject(with: Data(outcome.stdout.utf8)) as? [String: Any])
            return object.compactMapValues { $0 as? [String] }
        }
    }

    @Test func aRunIsTaggedWithItsUserFlowspecAndPythonThenItsOwnTags() throws {
        let flow = try Flow()
        let run = try flow.run(["--tag", "nightly", "--tag", "v2"], env: ["USER": "ana", "LOGNAME": "bo"])
        let tags = try flow.tags(run)
        let python = try runProgram(["/usr/bin/env", "python3", "-c", "import platform; print(platform.python_version())"])
        let version = python.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(tags["system_tags"] == ["user:ana", "flowspec_version:0.1.0", "python_version:\(version)"])
        #expect(tags["user_tags"] == ["nightly", "v2"])
        let text = try flow.call(["tag", "list", run]).stdout
        #expect(text == "nightly\nv2\nuser:ana  (system)\nflowspec_version:0.1.0  (system)\npython_version:\(version)  (system)\n")
        let listed = try flow.call(["runs"]).stdout
        #expect(listed.contains("  ana   nightly, v2\n"), "USER and TAGS columns: \(listed)")
        let unset = try flow.run(env: ["USER": "", "LOGNAME": "bo"])
        #expect(try flow.tags(unset)["system_tags"]?.first == "user:bo", "$LOGNAME when $USER is empty")
    }

    @Test func aSystemTagCannotBeGivenNorRemoved() throws {
        let flow = try Flow()
        let refused = try flowspec(["run", "flow.yaml", "--tag", "user:eve", "--store", flow.store], in: flow.folder)
        #expect(refused.status == 2 && refused.stderr.contains("'user:eve' is a system tag"))
        let run = try flow.run()
        let user = try #require(try flow.tags(run)["system_tags"]?.first)
        let remove = try flow.call(["tag", "remove", run, user])
        #expect(remove.status == 1 && remove.stderr.contains("is a system tag") && remove.stderr.contains("cannot be removed"))
        let add = try flow.call(["tag", "add", run, "python_version:2.7"])
        #expect(add.status == 2 && add.stderr.contains("system tag"))
        #expect(try flow.tags(run)["system_tags"]?.count == 3)
    }

    @Test func tagsAreAddedAndRemovedWithClearErrors() throws {
        let flow = try Flow()
        let run = try flow.run(["--tag", "nightly"])
        let add = try flow.call(["tag", "add", "latest", "baseline", "nightly", "reviewed"])
        #expect(add.status == 0 && add.stderr.contains("tagged \(run) 'baseline' and 'reviewed'"), "\(add.stderr)")
        #expect(try flow.tags(run)["user_tags"] == ["nightly", "baseline", "reviewed"])
        let again = try flow.call(["tag", "add", run, "nightly"])
        #expect(again.status == 0 && again.stderr.contains("has 'nightly' already"))
        let typo = try flow.call(["tag", "remove", run, "reviewd"])
        #expect(typo.status == 1 && typo.stderr.contains("has no tag 'reviewd'") && typo.stderr.contains("did you mean 'reviewed'?"))
        #expect(try flow.tags(run)["user_tags"] == ["nightly", "baseline", "reviewed"], "a failed remove changes nothing")
        #expect(try flow.call(["tag", "remove", run, "reviewed", "nightly"]).status == 0)
        #expect(try flow.tags(run)["user_tags"] == ["baseline"])
        let id = String(run.split(separator: "/")[1])
        let unknown = try flow.call(["tag", "list", "Tagged/" + id.dropLast() + "x"])
        #expect(unknown.status == 1 && unknown.stderr.contains("no run 'Tagged/") && unknown.stderr.contains("did you mean '\(run)'?"))
        let step = try flow.call(["tag", "add", run + "/start", "x"])
        #expect(step.status == 2 && step.stderr.contains("tags belong to a whole run"))
    }

    @Test func runsAreListedByTagStatusAndUser() throws {
        let flow = try Flow()
        let first = try flow.run(["--tag", "nightly", "--tag", "v1"])
        let second = try flow.run(["--tag", "nightly"])
        try "def start():\n    return 1\n\ndef end(start):\n    raise ValueError('no')\n".write(to: flow.folder.appendingPathComponent("steps.py"), atomically: true, encoding: .utf8)
        let failed = try flowspec(["run", "flow.yaml", "-q", "--tag", "nightly", "--store", flow.store], in: flow.folder)
        #expect(failed.status == 1)
        let third = String(failed.stdout.split(separator: "\n").first ?? "")
        func ids(_ arguments: [String]) throws -> [String] {
            let outcome = try flow.call(["runs", "--json"] + arguments)
            #expect(outcome.status == 0, "\(outcome.stderr)")
            let runs = try #require(try JSONSerialization.jsonObject(with: Data(outcome.stdout.utf8)) as? [[String: Any]])
            return runs.compactMap { $0["id"] as? String }
        }
        let user = try #require(try flow.tags(first)["system_tags"]?.first?.dropFirst(5)).description
        #expect(try ids(["--tag", "nightly"]) == [third, second, first])
        #expect(try ids(["--tag", "nightly", "--tag", "v1"]) == [first])
        #expect(try ids(["--tag", "nightly", "--status", "completed"]) == [second, first])
        #expect(try ids(["--status", "failed", "--status", "interrupted"]) == [third])
        #expect(try ids(["--user", user, "--limit", "2"]) == [third, second])
        #expect(try ids(["--tag", "user:\(user)", "--status", "completed", "--limit", "1"]) == [second])
        #expect(try ids(["--user", "nobody-\(UUID())"]).isEmpty)
        let typo = try flow.call(["runs", "--tag", "nigthly"])
        #expect(typo.status == 0 && typo.stdout.isEmpty && typo.stderr.contains("no run has tag 'nigthly'; did you mean 'nightly'?"))
        let status = try flow.call(["runs", "--status", "complete"])
        #expect(status.status == 2 && status.stderr.contains("did you mean 'completed'?"))
    }

    @Test func aResumedRunKeepsTheUserTagsOfTheRunItResumed() throws {
        let flow = try Flow()
        let origin = try flow.run(["--tag", "nightly"])
        #expect(try flow.call(["tag", "add", origin, "baseline"]).status == 0)
        let resumed = try flow.run([origin, "--tag", "again", "--tag", "nightly"], command: "resume")
        #expect(resumed != origin)
        #expect(try flow.tags(resumed)["user_tags"] == ["nightly", "baseline", "again"])
        #expect(try flow.tags(resumed)["system_tags"]?.count == 3)
    }
}
