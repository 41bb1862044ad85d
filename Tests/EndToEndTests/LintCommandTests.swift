import Foundation
import Testing

/// `flowspec lint` as a user and a CI job see it: exit statuses, formats and hostile input.
@Suite struct LintCommandTests {
    private func temporaryFile(_ name: String, _ contents: Data) throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("flowspec-lint-\(UUID())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let url = folder.appendingPathComponent(name)
        try contents.write(to: url)
        return url
    }

    private func findings(_ outcome: Outcome) throws -> [[String: Any]] {
        try #require(JSONSerialization.jsonObject(with: Data(outcome.stdout.utf8)) as? [[String: Any]])
    }

    @Test func exitsZeroOnACleanSpec() throws {
        let outcome = try flowspec(["lint", "specs/valid/linear.yaml"])
        #expect(outcome.status == 0)
    }

    @Test(arguments: [["lint"], ["lint", "--format", "xml", "specs/valid/linear.yaml"], ["lint", "--nope", "x.yaml"], ["frobnicate"]])
    func exitsTwoOnWrongUsage(arguments: [String]) throws {
        let outcome = try flowspec(arguments)
        #expect(outcome.status == 2, "\(outcome.stderr)")
        #expect(!outcome.stderr.isEmpty)
    }

    @Test func helpTeachesAndExitsZero() throws {
        let outcome = try flowspec(["lint", "--help"])
        #expect(outcome.status == 0)
        #expect(outcome.stdout.contains("--format"))
        #expect(outcome.stdout.contains("sarif"))
    }

    @Test func printsJSONFindings() throws {
        let url = try temporaryFile("bad.yaml", Data("flowspec: 1\nname: A\nsteps:\n  start: {run: 'a:b', foreahc: x}\n".utf8))
        let outcome = try flowspec(["lint", "--format", "json", url.path])
        #expect(outcome.status == 1)
        let finding = try #require(try findings(outcome).first)
        #expect(finding["code"] as? String == "FS0101")
        #expect(finding["severity"] as? String == "error")
        #expect(finding["file"] as? String == url.path)
        #expect(finding["line"] as? Int == 4 && finding["column"] as? Int == 23)
        #expect(finding["endLine"] as? Int == 4 && finding["endColumn"] as? Int == 30)
        #expect(finding["hint"] as? String == "did you mean 'foreach'?")
    }

    @Test func printsSARIF() throws {
        let url = try temporaryFile("bad.yaml", Data("flowspec: 1\nname: A\nsteps:\n  start: {run: 'a:b'}\n  start: {run: 'a:c'}\n".utf8))
        let outcome = try flowspec(["lint", "--format", "sarif", url.path])
        #expect(outcome.status == 1)
        let log = try #require(JSONSerialization.jsonObject(with: Data(outcome.stdout.utf8)) as? [String: Any])
        #expect(log["version"] as? String == "2.1.0")
        let run = try #require((log["runs"] as? [[String: Any]])?.first)
        let driver = try #require((run["tool"] as? [String: Any])?["driver"] as? [String: Any])
        let rules = try #require(driver["rules"] as? [[String: Any]])
        let result = try #require((run["results"] as? [[String: Any]])?.first)
        #expect(result["ruleId"] as? String == "FS0006")
        #expect(result["level"] as? String == "error")
        let index = try #require(result["ruleIndex"] as? Int)
        #expect(rules[index]["id"] as? String == "FS0006")
        let location = try #require((result["locations"] as? [[String: Any]])?.first?["physicalLocation"] as? [String: Any])
        let region = try #require(location["region"] as? [String: Any])
        #expect(region["startLine"] as? Int == 5 && region["startColumn"] as? Int == 3)
        let related = try #require(result["relatedLocations"] as? [[String: Any]])
        #expect(related.count == 1)
    }

    @Test func reportsEverySpecGivenAndFailsIfAnyFails() throws {
        let bad = try temporaryFile("bad.yaml", Data("flowspec: 1\nname: A\n".utf8))
        let outcome = try flowspec(["lint", "specs/valid/linear.yaml", bad.path])
        #expect(outcome.status == 1)
        #expect(outcome.stdout.contains("specs/valid/linear.yaml: ok"))
        #expect(outcome.stdout.contains("\(bad.path): 1 error"))
    }

    /// Hostile files each give one clear finding and exit 1: no crash, hang or exhaustion.
    @Test(arguments: [
        ("garbage.yaml", Data((0..<65_536).map { UInt8(truncatingIfNeeded: $0 &* 2_654_435_761 >> 7) }), "FS0003"),
        ("empty.yaml", Data(), "FS0004"),
        ("laughs.yaml", Data(billionLaughs.utf8), "FS0007"),
        ("deep.yaml", Data((String(repeating: "[", count: 10_000) + String(repeating: "]", count: 10_000)).utf8), "FS0008"),
        ("deep.json", Data((String(repeating: "{\"a\": ", count: 10_000) + "1" + String(repeating: "}", count: 10_000)).utf8), "FS0008"),
    ])
    func refusesHostileInput(name: String, contents: Data, code: String) throws {
        let url = try temporaryFile(name, contents)
        let outcome = try flowspec(["lint", "--format", "json", url.path])
        #expect(outcome.status == 1)
        #expect(try findings(outcome).map { $0["code"] as? String } == [code])
    }

    @Test func refusesAFiftyMegabyteFile() throws {
        let url = try temporaryFile("huge.yaml", Data())
        let handle = try FileHandle(forWritingTo: url)
        try handle.write(contentsOf: Data(String(repeating: "# padding line of a huge spec file\n", count: 1_500_000).utf8))
        try handle.close()
        let outcome = try flowspec(["lint", url.path])
        #expect(outcome.status == 1)
        #expect(outcome.stdout.contains("error[FS0002]"))
        #expect(outcome.stdout.contains("50.1 MB"))
    }

    @Test func reportsAMissingFile() throws {
        let outcome = try flowspec(["lint", "no/such/flow.yaml"])
        #expect(outcome.status == 1)
        #expect(outcome.stdout.contains("no/such/flow.yaml:1:1: error[FS0001]: cannot read 'no/such/flow.yaml': no such file"))
    }

    @Test func colorsOnlyOnATerminal() throws {
        let outcome = try flowspec(["lint", "no/such/flow.yaml"])
        #expect(!outcome.stdout.contains("\u{1B}["))
    }
}

let billionLaughs: String = {
    var text = "a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n"
    for level in 1...9 {
        text += "a\(level): &a\(level) [" + Array(repeating: "*a\(level - 1)", count: 10).joined(separator: ", ") + "]\n"
    }
    return text
}()
