import FlowBasics
@testable import FlowSpec
import Testing

@Suite struct ReferenceParserTests {
    private func parsed(_ text: String) -> Reference? {
        if case .success(let reference) = ReferenceParser.parse(text) { return reference }
        return nil
    }

    private func problem(_ text: String) -> String? {
        if case .failure(let error) = ReferenceParser.parse(text) { return error.message }
        return nil
    }

    @Test func readsNamesAttributesIndicesAndKeys() {
        #expect(parsed("rows") == Reference(head: "rows"))
        #expect(parsed("_x9") == Reference(head: "_x9"))
        #expect(parsed("inputs.arm_0") == Reference(head: "inputs", path: [.attribute("arm_0")]))
        #expect(parsed("a.b[0]['k'][\"x y\"][-2]")
            == Reference(head: "a", path: [.attribute("b"), .index(0), .key("k"), .key("x y"), .index(-2)]))
        #expect(parsed("cfg['é.ü']") == Reference(head: "cfg", path: [.key("é.ü")]))
        #expect(parsed("cfg[\"it's\"]") == Reference(head: "cfg", path: [.key("it's")]))
        #expect(parsed("cfg['']") == Reference(head: "cfg", path: [.key("")]))
    }

    @Test func saysWhereAReferenceGoesWrong() {
        #expect(problem("") == "'' does not start with a name")
        #expect(problem("1a") == "'1a' does not start with a name")
        #expect(problem("é") == "'é' does not start with a name")
        #expect(problem(".a") == "'.a' does not start with a name")
        #expect(problem("a.") == "'a.' is not a valid reference: expected a name after '.' at character 3")
        // A name that starts with a digit is read to its end before it is refused.
        #expect(problem("a.1b") == "'a.1b' is not a valid reference: expected a name after '.' at character 5")
        #expect(problem("a.é") == "'a.é' is not a valid reference: expected a name after '.' at character 3")
        #expect(problem("aé") == "'aé' is not a valid reference: expected '.', '[' or the end at character 2")
        #expect(problem("a b") == "'a b' is not a valid reference: expected '.', '[' or the end at character 2")
        #expect(problem("a[") == "'a[' is not a valid reference: expected an integer or a quoted key inside '[...]' at character 3")
        #expect(problem("a[x]") == "'a[x]' is not a valid reference: expected an integer or a quoted key inside '[...]' at character 3")
        #expect(problem("a[-]") == "'a[-]' is not a valid reference: expected an integer or a quoted key inside '[...]' at character 4")
        #expect(problem("a[1") == "'a[1' is not a valid reference: expected an integer or a quoted key inside '[...]' at character 4")
        #expect(problem("a['k") == "'a['k' is not a valid reference: expected an integer or a quoted key inside '[...]' at character 5")
        #expect(problem("a['k'") == "'a['k'' is not a valid reference: expected an integer or a quoted key inside '[...]' at character 6")
        #expect(problem("a[99999999999999999999]")
            == "'a[99999999999999999999]' is not a valid reference: expected an integer or a quoted key inside '[...]' at character 23")
        // Characters are counted as Unicode scalars, not bytes.
        #expect(problem("a['é'] x") == "'a['é'] x' is not a valid reference: expected '.', '[' or the end at character 7")
        #expect(problem("a['é']ü") == "'a['é']ü' is not a valid reference: expected '.', '[' or the end at character 7")
    }
}

@Suite struct RunTargetParserTests {
    private func parsed(_ text: String) -> RunTarget? {
        if case .success(let target) = RunTargetParser.parse(text) { return target }
        return nil
    }

    private func problem(_ text: String) -> RunTargetError? {
        if case .failure(let error) = RunTargetParser.parse(text) { return error }
        return nil
    }

    @Test func readsModulesFilesAndNotebooks() {
        #expect(parsed("steps.py:fn") == RunTarget(source: .file("steps.py"), function: "fn"))
        #expect(parsed("dir/sub dir/x.py:Class.method") == RunTarget(source: .file("dir/sub dir/x.py"), function: "Class.method"))
        #expect(parsed("nb.ipynb:fn") == RunTarget(source: .notebook("nb.ipynb"), function: "fn"))
        #expect(parsed("pkg.mod:fn_1") == RunTarget(source: .module("pkg.mod"), function: "fn_1"))
        #expect(parsed("_m:_f") == RunTarget(source: .module("_m"), function: "_f"))
        #expect(parsed("é.py:f") == RunTarget(source: .file("é.py"), function: "f"))
        #expect(parsed(".py:f") == RunTarget(source: .file(".py"), function: "f"))
        #expect(parsed("a:b.py:f") == RunTarget(source: .file("a:b.py"), function: "f"))
        #expect(parsed("x.pyc:f") == RunTarget(source: .module("x.pyc"), function: "f"))
    }

    @Test func saysWhatIsWrongWithATarget() {
        let forms = "write \(RunTargetParser.forms)"
        func expect(_ text: String, _ message: String, _ hint: String, sourceLocation: SourceLocation = #_sourceLocation) {
            let error = problem(text)
            #expect(error?.message == message, sourceLocation: sourceLocation)
            #expect(error?.hint == hint, sourceLocation: sourceLocation)
        }
        expect("steps.py", "'steps.py' names no function", "write 'steps.py:FUNCTION'")
        expect("nb.ipynb", "'nb.ipynb' names no function", "write 'nb.ipynb:FUNCTION'")
        expect("mod", "'mod' names no function", forms)
        expect("steps.py:", "'' in 'steps.py:' is not a Python function name", forms)
        expect("steps.py:1fn", "'1fn' in 'steps.py:1fn' is not a Python function name", forms)
        expect("steps.py:a..b", "'a..b' in 'steps.py:a..b' is not a Python function name", forms)
        expect("steps.py:a.", "'a.' in 'steps.py:a.' is not a Python function name", forms)
        expect("steps.py:fé", "'fé' in 'steps.py:fé' is not a Python function name", forms)
        expect(":fn", "':fn' names no module or file", forms)
        expect("a/b:fn", "'a/b' is neither a Python module name nor a .py or .ipynb file", "a file path must end in .py or .ipynb")
        expect("a-b:fn", "'a-b' is neither a Python module name nor a .py or .ipynb file", forms)
        expect("x:y:fn", "'x:y' is neither a Python module name nor a .py or .ipynb file", forms)
        expect("a..b:fn", "'a..b' is neither a Python module name nor a .py or .ipynb file", forms)
        // A character that joins the '.' to what precedes it leaves no '.py' ending.
        expect("\u{600}.py:fn", "'\u{600}.py' is neither a Python module name nor a .py or .ipynb file", forms)
    }
}

@Suite struct NameBytesTests {
    @Test func agreesWithIdentifier() {
        let samples = ["", "a", "_", "A9_", "9a", "a-b", "a.b", ".a", "a.", "a..b", "é", "aé", "pkg.mod_2.Class", "a.9", "_._"]
        for sample in samples {
            let bytes = Array(sample.utf8)
            #expect(NameBytes.isIdentifier(bytes[...]) == Identifier.isValid(sample), "\(sample)")
            #expect(NameBytes.isIdentifier(sample) == Identifier.isValid(sample), "\(sample)")
            #expect(NameBytes.isDotted(bytes[...]) == isValidDotted(sample), "\(sample)")
        }
    }

    /// Identifiers joined by dots (`package.module`), checked part by part.
    private func isValidDotted(_ text: String) -> Bool {
        text.split(separator: ".", omittingEmptySubsequences: false).allSatisfy { Identifier.isValid($0) }
    }
}

@Suite struct StepKeyTests {
    @Test func knowsEveryStepKeyAndNoOther() {
        for name in SpecKeys.step { #expect(StepKey(name) != nil, "\(name)") }
        for name in ["", "Run", "runs", "max-iterations", "maxIterations", "on", "times", "<<"] { #expect(StepKey(name) == nil, "\(name)") }
        #expect(Set(SpecKeys.step.compactMap { StepKey($0) }).count == SpecKeys.step.count)
        #expect(SpecKeys.step.filter { StepKey($0)?.isSetting == true } == SpecKeys.defaults)
    }
}
