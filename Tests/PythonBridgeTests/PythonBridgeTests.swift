import PythonBridge
import Testing
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// One interpreter for the whole suite: Python starts once per process.
private let interpreter: PythonInterpreter = {
    do {
        // The libpython this test process loaded decides which installation it can run.
        return try PythonInterpreter.start(executable: nil)
    } catch {
        fatalError("cannot start Python for the tests: \(error)")
    }
}()

private let repositoryRoot = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

@Suite(.serialized)
struct PythonBridgeTests {
    @Test func startsTheLibraryItWasBuiltFor() throws {
        try PythonBridge.checkLibraryVersion()
        #expect(interpreter.version.hasPrefix(PythonBridge.libraryVersion.split(separator: ".").prefix(2).joined(separator: ".")))
        #expect(PythonBridge.libraryPath?.contains("libpython") == true)
    }

    @Test func callsAFunctionOfAModuleMadeFromSource() throws {
        let result = try interpreter.withGIL { gil in
            let module = try PythonObject.module(
                named: "bridge_test_echo", filename: "<test>/echo.py",
                source: "def shout(text):\n    return text.upper() + ' ✓'\n", gil)
            return try module.attribute("shout", gil).call(string: "héllo", gil)
        }
        #expect(result == "HÉLLO ✓")
    }

    @Test func pythonExceptionsBecomeSwiftErrorsWithTheTraceback() throws {
        let error = try interpreter.withGIL { gil in
            let module = try PythonObject.module(
                named: "bridge_test_raise", filename: "<test>/raise.py",
                source: "def fail(text):\n    raise ValueError('bad ' + text)\n", gil)
            let fail = try module.attribute("fail", gil)
            return #expect(throws: PythonError.self) { try fail.call(string: "input", gil) }
        }
        #expect(error?.type == "builtins.ValueError")
        #expect(error?.message == "bad input")
        #expect(error?.traceback.hasPrefix("Traceback (most recent call last):\n") == true)
        #expect(error?.traceback.contains("in fail") == true)
        #expect(error?.traceback.hasSuffix("ValueError: bad input\n") == true)
    }

    @Test func aMissingAttributeIsAnErrorNotATrap() throws {
        try interpreter.withGIL { gil in
            let module = try PythonObject.importModule("json", gil)
            let error = #expect(throws: PythonError.self) { try module.attribute("no_such_thing", gil) }
            #expect(error?.type == "builtins.AttributeError")
            let notAString = try module.attribute("JSONDecoder", gil)
            #expect(throws: PythonError.self) { try notAString.stringValue(gil) }
        }
    }

    @Test func syntaxErrorsInSourceAreErrors() throws {
        interpreter.withGIL { gil in
            let error = #expect(throws: PythonError.self) {
                try PythonObject.module(named: "bridge_test_bad", filename: "<test>/bad.py", source: "def (:\n", gil)
            }
            #expect(error?.type == "builtins.SyntaxError")
        }
    }

    @Test func theEmbeddedHelpersAnswerARequest() throws {
        let store = FileManager.default.temporaryDirectory.appendingPathComponent("flowspec-bridge-\(UUID())").path
        defer { try? FileManager.default.removeItem(atPath: store) }
        let response = try interpreter.withGIL { gil in
            let runtime = try HelperRuntime(gil)
            return try runtime.handle(#"{"kind": "length", "id": 7, "store": "\#(store)", "value": {"literal": [1, 2, 3]}}"#, gil)
        }
        #expect(response == #"{"id": 7, "length": 3, "status": "ok"}"#)
    }

    @Test func helperTracebacksNameEmbeddedFiles() throws {
        let file = try interpreter.withGIL { gil in
            try PythonObject.importModule("flowspec._runtime.blobs", gil).attribute("__file__", gil).stringValue(gil)
        }
        #expect(file == "<flowspec>/_runtime/blobs.py")
    }

    @Test func theEmbeddedCopyEqualsTheFiles() throws {
        #expect(EmbeddedHelpers.modules.count >= 8)
        for module in EmbeddedHelpers.modules {
            let file = repositoryRoot.appendingPathComponent(module.file)
            let text = try String(contentsOf: file, encoding: .utf8)
            #expect(text == module.source, "\(module.file) changed: run scripts/embed-python.py")
        }
        let onDisk = try ["python/flowspec/_runtime", "python/flowspec", "python/flowspec/client"].flatMap { folder in
            try FileManager.default.contentsOfDirectory(atPath: repositoryRoot.appendingPathComponent(folder).path)
                .filter { $0.hasSuffix(".py") }.map { "\(folder)/\($0)" }
        }
        #expect(Set(onDisk) == Set(EmbeddedHelpers.modules.map(\.file)), "a file is not embedded: run scripts/embed-python.py")
    }
}
