import Foundation
import Testing

/// `flowspec params SPEC` and `flowspec run SPEC --help` through the built binary.
@Suite struct ParamsCommandTests {
    @Test func listsEveryParamWithTypeDefaultChoicesAndHelp() throws {
        let outcome = try flowspec(["params", "specs/valid/full.yaml"])
        #expect(outcome.status == 0, "\(outcome.stderr)")
        let lines = outcome.stdout.split(separator: "\n").map { $0.split(separator: " ", omittingEmptySubsequences: true).joined(separator: " ") }
        #expect(lines == [
            "NAME TYPE DEFAULT CHOICES HELP",
            "dataset_name str synthetic synthetic | noisy Which generator to use",
            "n_rows int 300 100 | 300 | 1000 Rows to generate",
            "noise float 0.5 0.1 | 0.5 | 1.0 Standard deviation of the noise",
            "standardize bool true true | false Standardise x before fitting",
            #"config json {"test_fraction":0.25,"alphas":[0.0,0.1,1.0,10.0]} {"test_fraction":0.25,"alphas":[0.0,0.1,1.0,10.0]} | {"test_fraction":0.5,"alphas":[0.0,1.0]} Split and grid settings"#,
            "notes file data/notes.txt data/notes.txt Text attached to the report",
            "raw file (bytes) data/movies.csv A file attached as bytes",
        ])
    }

    @Test func aRequiredParamAndJSONOutput() throws {
        let folder = try scratchFolder("params")
        try "flowspec: 1\nname: P\nparams:\n  who: {help: Whose data}\n  n: {type: int, default: 3}\nsteps:\n  end: {}\n"
            .write(to: folder.appendingPathComponent("p.yaml"), atomically: true, encoding: .utf8)
        let text = try flowspec(["params", "p.yaml"], in: folder)
        #expect(text.stdout.contains("who   str   required           Whose data\n"), "\(text.stdout)")
        let json = try flowspec(["params", "p.yaml", "--json"], in: folder)
        let params = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [[String: Any]])
        #expect(params.map { $0["name"] as? String } == ["who", "n"])
        #expect(params[0]["required"] as? Bool == true && params[0]["default"] is NSNull && params[0]["help"] as? String == "Whose data")
        #expect(params[1]["type"] as? String == "int" && params[1]["default"] as? Int == 3 && params[1]["choices"] is NSNull)
        try "flowspec: 1\nname: P\nsteps:\n  end: {}\n".write(to: folder.appendingPathComponent("none.yaml"), atomically: true, encoding: .utf8)
        #expect(try flowspec(["params", "none.yaml"], in: folder).stdout == "flow 'P' takes no params\n")
    }

    @Test func aSpecWithErrorsIsNotRead() throws {
        let outcome = try flowspec(["params", "specs/invalid/FS0203-unknown-foreach-artifact.yaml"])
        #expect(outcome.status == 1 && outcome.stdout.isEmpty)
        #expect(outcome.stderr.contains("error[FS0203]") && outcome.stderr.contains("fix them to read its params"))
    }

    @Test func runSpecHelpListsTheParamsAfterRunsHelp() throws {
        let plain = try flowspec(["run", "--help"])
        for arguments in [["run", "examples/movies/movies.yaml", "--help"], ["run", "-h", "-p", "top=2", "examples/movies/movies.yaml"]] {
            let outcome = try flowspec(arguments)
            #expect(outcome.status == 0, "\(outcome.stderr)")
            #expect(outcome.stdout.hasPrefix(plain.stdout), "run's own help first")
            let params = outcome.stdout.dropFirst(plain.stdout.count)
            #expect(params.hasPrefix("PARAMS OF examples/movies/movies.yaml (give each as -p NAME=VALUE):\n"))
            #expect(params.contains("  genre  str   Sci-Fi                    Genre to report\n"), "\(params)")
            #expect(params.contains("  data   file  data/movies.csv"))
        }
        let ran = try flowspec(["run", "examples/movies/movies.yaml", "--help", "--store", "/nonexistent/store"])
        #expect(ran.status == 0 && !ran.stdout.contains("MovieStats/"), "help runs nothing")
        let broken = try flowspec(["run", "specs/invalid/FS0203-unknown-foreach-artifact.yaml", "--help"])
        #expect(broken.status == 1 && broken.stdout.hasPrefix(plain.stdout) && broken.stderr.contains("error[FS0203]"))
    }
}
