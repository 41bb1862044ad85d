import FlowBasics
import FlowRuntime
import FlowSpec
import Foundation
import Testing

@Suite struct ParamValuesTests {
    private func values(_ params: String, _ assignments: [String], folder: String = "/tmp") throws(ParamError) -> [String: ParamInput] {
        let spec = SpecLoader.load(text: "flowspec: 1\nname: P\nparams:\n\(params)\nsteps: {start: {}}\n", file: "p.yaml").spec!
        return try ParamValues(spec: spec, specFolder: folder, workingFolder: folder).resolve(assignments)
    }

    private func failure(_ params: String, _ assignments: [String]) -> String {
        do {
            _ = try values(params, assignments)
            return "no error"
        } catch {
            return error.description
        }
    }

    @Test func convertsEachTypeAndKeepsDefaults() throws {
        let result = try values("""
              a: {type: str, default: x}
              b: {type: int, default: 1}
              c: {type: float, default: 2}
              d: {type: bool, default: false}
              e: {type: json, default: [1]}
            """, ["b=7", "d=yes", "e={\"k\": [true, null]}"])
        #expect(result["a"] == .json(.string("x")))
        #expect(result["b"] == .json(.int(7)))
        #expect(result["c"] == .json(.double(2)))
        #expect(result["d"] == .json(.bool(true)))
        #expect(result["e"] == .json(.object(["k": .array([.bool(true), .null])])))
    }

    /// What Python's `float()` returns for each text (nil: it raises ValueError).
    @Test(arguments: [
        ("3", 3.0), ("-1.5e-3", -0.0015), (".5", 0.5), ("5.", 5.0), ("+2E+2", 200.0), (" 1_000.25\n", 1000.25),
        ("1e400", .infinity), ("inf", .infinity), ("-Infinity", -.infinity), ("+INF", .infinity), ("iNfInItY", .infinity),
        ("0x10", nil), ("1__0", nil), ("_1", nil), ("1_", nil), ("1_.5", nil), ("1e", nil), (".", nil), ("e5", nil),
        ("--1", nil), ("+-1", nil), ("1 2", nil), ("", nil), ("infinit", nil), ("nan(1)", nil),
    ] as [(String, Double?)])
    func readsFloatsAsPythonDoes(text: String, expected: Double?) {
        #expect(Double(pythonFloat: text) == expected)
    }

    @Test func readsNaNAsPythonDoes() {
        #expect(Double(pythonFloat: "nan")?.isNaN == true && Double(pythonFloat: " -NaN ")?.isNaN == true)
        #expect(Double(pythonFloat: "-nan")?.sign == .minus)
    }

    @Test func reportsWhatIsWrong() {
        #expect(failure("  top: {type: int}", []) == "param 'top' is required: run with -p top=VALUE")
        #expect(failure("  top: {type: int, default: 1}", ["top=many"]) == "-p top=many: 'top' is an int")
        #expect(failure("  top: {type: int, default: 1}", ["tpo=3"]) == "flow 'P' has no param 'tpo'; did you mean 'top'?")
        #expect(failure("  m: {default: a, choices: [a, b]}", ["m=c"]) == "param 'm' must be one of 'a' or 'b'")
        #expect(failure("  m: {default: a}", ["m"]) == "-p 'm' is not NAME=VALUE")
        #expect(failure("  f: {type: file, default: nowhere.csv}", []).hasPrefix("param 'f': no file 'nowhere.csv'"))
    }

    @Test func resolvesFilesFromTheSpecFolderOrTheCommandLine() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("params-\(UUID())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try "a,b\n".write(to: folder.appendingPathComponent("data.csv"), atomically: true, encoding: .utf8)
        let result = try values("  f: {type: file, default: data.csv}\n  g: {type: file, binary: true, default: data.csv}", [], folder: folder.path)
        #expect(result["f"] == .textFile(folder.appendingPathComponent("data.csv").path))
        #expect(result["g"] == .bytesFile(folder.appendingPathComponent("data.csv").path))
    }

    @Test func expandsEnvironmentVariables() {
        #expect(EnvExpansion.expand("${HOME}/x:$${Y}:${NOPE}:$Z", from: ["HOME": "/h"]) == "/h/x:${Y}::$Z")
    }
}
