import FlowStore
import Foundation
import Testing

/// Values reach the step function with the type, digits and key order they were written with,
/// in YAML and JSON specs and on the command line, and the same params store the same blobs.
@Suite struct ValueFidelityTests {
    private static let steps = """
        def describe(**values):
            return {name: (type(value).__name__, repr(value), list(value) if isinstance(value, dict) else None)
                    for name, value in values.items()}


        def seen(thr, given, cfg, cli, lit):
            return describe(thr=thr, given=given, cfg=cfg, cli=cli, lit=lit)


        def unbounded(top, low, odd, cfg, lit):
            return describe(top=top, low=low, odd=odd, cfg=cfg, lit=lit)
        """

    private static let yaml = """
        flowspec: 1
        name: Fidelity
        params:
          thr: {type: float, default: 2.0}
          given: {type: float, default: 0.5}
          cfg: {type: json, default: {zeta: 1, alpha: 2.0, neg: -0.0, big: 18446744073709551616}}
          cli: {type: json, default: null}
        steps:
          start:
            run: steps.py:seen
            args: {thr: thr, given: given, cfg: cfg, cli: cli}
            with: {lit: {z: 1.0, a: -0.0, m: 18446744073709551616, n: [1.0, 2, -12345678901234567890123]}}
            outputs: seen
        """

    private static let json = """
        {"flowspec": 1, "name": "Fidelity",
         "params": {"thr": {"type": "float", "default": 2.0}, "given": {"type": "float", "default": 0.5},
                    "cfg": {"type": "json", "default": {"zeta": 1, "alpha": 2.0, "neg": -0.0, "big": 18446744073709551616}},
                    "cli": {"type": "json", "default": null}},
         "steps": {"start": {"run": "steps.py:seen", "args": {"thr": "thr", "given": "given", "cfg": "cfg", "cli": "cli"},
                             "with": {"lit": {"z": 1.0, "a": -0.0, "m": 18446744073709551616, "n": [1.0, 2, -12345678901234567890123]}},
                             "outputs": "seen"}}}
        """

    /// YAML's infinities and NaN, in each spelling the core schema allows.
    private static let nonFinite = """
        flowspec: 1
        name: Unbounded
        params:
          top: {type: float, default: .inf}
          low: {type: float, default: 0.0}
          odd: {type: float, default: 0.0}
          cfg: {type: json, default: {up: +.inf, down: -.INF, none: .NaN, Up: .Inf, NONE: .NAN}}
        steps:
          start:
            run: steps.py:unbounded
            args: {top: top, low: low, odd: odd, cfg: cfg}
            with: {lit: [.inf, -.inf, .nan, -.Inf, +.INF]}
            outputs: seen
        """

    private static let cli = #"{"y": 1.0, "b": -0.0, "k": 18446744073709551616, "a": {"q": 1, "p": 2.5}}"#

    private static func project(_ spec: String, named name: String) throws -> URL {
        let folder = try scratchFolder("fidelity")
        try steps.write(to: folder.appendingPathComponent("steps.py"), atomically: true, encoding: .utf8)
        try spec.write(to: folder.appendingPathComponent(name), atomically: true, encoding: .utf8)
        return folder
    }

    @Test(arguments: [("flow.yaml", yaml), ("flow.json", json)])
    func valuesReachTheFunctionAsWritten(name: String, spec: String) throws {
        let folder = try Self.project(spec, named: name)
        defer { try? FileManager.default.removeItem(at: folder) }
        let ran = try flowspec(["run", name, "-p", "given=3", "-p", "cli=\(Self.cli)", "--store", "st"], in: folder)
        #expect(ran.status == 0, "\(ran.stderr)")
        let got = try flowspec(["get", "latest/seen", "--store", "st"], in: folder)
        #expect(got.status == 0, "\(got.stderr)")
        let expected = [
            "'thr': ('float', '2.0', None)",
            "'given': ('float', '3.0', None)",
            #"'cfg': ('dict', "{'zeta': 1, 'alpha': 2.0, 'neg': -0.0, 'big': 18446744073709551616}", ['zeta', 'alpha', 'neg', 'big'])"#,
            #"'cli': ('dict', "{'y': 1.0, 'b': -0.0, 'k': 18446744073709551616, 'a': {'q': 1, 'p': 2.5}}", ['y', 'b', 'k', 'a'])"#,
            #"'lit': ('dict', "{'z': 1.0, 'a': -0.0, 'm': 18446744073709551616, 'n': [1.0, 2, -12345678901234567890123]}", ['z', 'a', 'm', 'n'])"#,
        ]
        for line in expected { #expect(got.stdout.contains(line), "\(line)\nin \(got.stdout)") }
    }

    /// `plan` shows each param as it will reach Python.
    @Test func planShowsParamsAsWritten() throws {
        let folder = try Self.project(Self.yaml, named: "flow.yaml")
        defer { try? FileManager.default.removeItem(at: folder) }
        let plan = try flowspec(["plan", "flow.yaml", "-p", "given=3", "-p", "cli=\(Self.cli)"], in: folder)
        #expect(plan.status == 0, "\(plan.stderr)")
        let rows = plan.stdout.split(separator: "\n").map { $0.split(separator: " ", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) } }
        let values = Dictionary(rows.filter { $0.count == 2 }.map { ($0[0], $0[1]) }) { first, _ in first }
        #expect(values["thr"] == "2.0" && values["given"] == "3.0", "\(plan.stdout)")
        #expect(values["cfg"] == #"{"zeta":1,"alpha":2.0,"neg":-0.0,"big":18446744073709551616}"#, "\(plan.stdout)")
        #expect(values["cli"] == #"{"y":1.0,"b":-0.0,"k":18446744073709551616,"a":{"q":1,"p":2.5}}"#, "\(plan.stdout)")
    }

    /// Three runs with the same params store each param as the same blob.
    @Test func theSameParamsStoreTheSameBlobsOnEveryRun() throws {
        let folder = try Self.project(Self.yaml, named: "flow.yaml")
        defer { try? FileManager.default.removeItem(at: folder) }
        let wide = "{" + (0..<24).map { #""key\#($0)": \#($0).5"# }.joined(separator: ", ") + "}"
        var ids: [String] = []
        for _ in 0..<3 {
            let ran = try flowspec(["run", "flow.yaml", "-p", "cli=\(wide)", "--store", "st"], in: folder)
            #expect(ran.status == 0, "\(ran.stderr)")
            ids.append(String(ran.stdout.split(separator: "\n").first ?? ""))
        }
        let reader = try StoreReader(path: folder.appendingPathComponent("st").path)
        let params = try ids.map { try reader.run($0).params.mapValues(\.blob) }
        #expect(params.count == 3 && params[0].count == 4)
        #expect(params[1] == params[0] && params[2] == params[0], "\(params)")
    }

    /// The keys of a pretty-printed JSON object's first level, in the order printed.
    private static func topKeys(_ json: String) -> [String] {
        json.split(separator: "\n").filter { $0.hasPrefix("  \"") }.map { String($0.dropFirst(3).prefix { $0 != "\"" }) }
    }

    /// `.inf`, `-.inf` and `.nan` reach the function as floats, as `-p` values that Python's
    /// `float()` reads do; they were None.
    @Test func infinitiesAndNaNReachTheFunctionAsFloats() throws {
        let folder = try Self.project(Self.nonFinite, named: "flow.yaml")
        defer { try? FileManager.default.removeItem(at: folder) }
        let ran = try flowspec(["run", "flow.yaml", "-p", "low= -Infinity ", "-p", "odd=NaN", "--store", "st"], in: folder)
        #expect(ran.status == 0, "\(ran.stderr)")
        let got = try flowspec(["get", "latest/seen", "--store", "st"], in: folder)
        #expect(got.status == 0, "\(got.stderr)")
        let expected = [
            "'top': ('float', 'inf', None)", "'low': ('float', '-inf', None)", "'odd': ('float', 'nan', None)",
            #"'cfg': ('dict', "{'up': inf, 'down': -inf, 'none': nan, 'Up': inf, 'NONE': nan}", ['up', 'down', 'none', 'Up', 'NONE'])"#,
            "'lit': ('list', '[inf, -inf, nan, -inf, inf]', None)",
        ]
        for line in expected { #expect(got.stdout.contains(line), "\(line)\nin \(got.stdout)") }
        let plan = try flowspec(["plan", "flow.yaml", "--format", "json"], in: folder)
        #expect(plan.status == 0, "\(plan.stderr)")
        #expect(plan.stdout.contains(#""top" : Infinity"#), "\(plan.stdout)")
        #expect(plan.stdout.contains(#""down" : -Infinity,"#) && plan.stdout.contains(#""none" : NaN,"#), "\(plan.stdout)")
    }

    /// A float param takes what Python's `float()` takes, and nothing else.
    @Test func aFloatParamRefusesWhatPythonsFloatRefuses() throws {
        let folder = try Self.project(Self.nonFinite, named: "flow.yaml")
        defer { try? FileManager.default.removeItem(at: folder) }
        for text in ["0x10", "1__0", "infinit", "--1", "1e", ""] {
            let plan = try flowspec(["plan", "flow.yaml", "-p", "low=\(text)"], in: folder)
            #expect(plan.status == 2, "\(text): \(plan.stdout)")
            #expect(plan.stderr.contains("-p low=\(text): 'low' is a float (a number, inf or nan, as Python's float() reads it)"), "\(plan.stderr)")
        }
        let json = try flowspec(["plan", "flow.yaml", "-p", "cfg=[1.0, -Infinity]"], in: folder)
        #expect(json.status == 2 && json.stderr.contains("JSON has no number Infinity"), "\(json.stderr)")
    }

    /// The JSON that `plan`, `inspect` and `get` print shows params as they were written: a float
    /// with its fraction, a big integer as a number, an object's keys in their order (JSONEncoder
    /// wrote `2`, `"18446744073709551616"` and sorted keys, and reprlib sorted a dict's keys).
    @Test func reportsShowParamsAsWritten() throws {
        let folder = try Self.project(Self.yaml, named: "flow.yaml")
        defer { try? FileManager.default.removeItem(at: folder) }
        let plan = try flowspec(["plan", "flow.yaml", "--format", "json", "-p", "cli=\(Self.cli)"], in: folder)
        #expect(plan.status == 0, "\(plan.stderr)")
        #expect(plan.stdout.contains("""
                "cfg" : {
                  "zeta" : 1,
                  "alpha" : 2.0,
                  "neg" : -0.0,
                  "big" : 18446744073709551616
                },
            """), "\(plan.stdout)")
        #expect(plan.stdout.contains(#""thr" : 2.0"#) && plan.stdout.contains(#""p" : 2.5"#), "\(plan.stdout)")
        #expect(try JSONSerialization.jsonObject(with: Data(plan.stdout.utf8)) is [String: Any])
        let keys = Self.topKeys(plan.stdout)
        #expect(keys.count == 9 && keys == keys.sorted(), "a report's own keys stay sorted: \(keys)")
        let ran = try flowspec(["run", "flow.yaml", "-p", "cli=\(Self.cli)", "--store", "st"], in: folder)
        #expect(ran.status == 0, "\(ran.stderr)")
        let repr = "{'zeta': 1, 'alpha': 2.0, 'neg': -0.0, 'big': 18446744073709551616}"
        let inspect = try flowspec(["inspect", "latest", "--json", "--store", "st"], in: folder)
        #expect(inspect.status == 0 && inspect.stdout.contains(#""repr" : "\#(repr)""#), "\(inspect.stdout)")
        let inspected = Self.topKeys(inspect.stdout)
        #expect(inspected.count > 10 && inspected == inspected.sorted(), "\(inspected)")
        let text = try flowspec(["inspect", "latest", "--store", "st"], in: folder)
        #expect(text.status == 0 && text.stdout.contains("builtins.dict   \(repr)"), "\(text.stdout)")
        let got = try flowspec(["get", "latest/start/cfg", "--json", "--store", "st"], in: folder)
        #expect(got.status == 0 && got.stdout.contains(#""repr" : "\#(repr)""#), "\(got.stdout)")
    }
}
