import FlowBasics
@testable import FlowSpec
import Foundation
import Testing

@Suite struct YAMLReaderTests {
    private func root(_ text: String) -> Node? {
        DocumentLoader(limits: .standard).load(bytes: Array(text.utf8), file: "t.yaml").root
    }

    @Test func typesPlainScalarsByTheYAML12CoreSchema() throws {
        let node = try #require(root("""
            a: on
            b: yes
            c: 012
            d: 1_000
            e: 0o12
            f: 0x1F
            g: 1e3
            h: "5"
            i: ~
            j: .inf
            k: -7
            l: 'true'
            m: True
            n: 2.5
            o:
            """))
        func value(_ key: String) -> Node.Value? { node[key]?.value }
        #expect(node["a"]?.string == "on")
        #expect(node["b"]?.string == "yes")
        #expect(node["c"].map { if case .int(12) = $0.value { true } else { false } } == true)
        #expect(node["d"]?.string == "1_000")
        #expect(node["e"].map { if case .int(10) = $0.value { true } else { false } } == true)
        #expect(node["f"].map { if case .int(31) = $0.value { true } else { false } } == true)
        #expect(node["g"].map { if case .float(1000) = $0.value { true } else { false } } == true)
        #expect(node["h"]?.string == "5")
        #expect(node["i"].map { if case .null = $0.value { true } else { false } } == true)
        #expect(node["j"].map { if case .float(.infinity) = $0.value { true } else { false } } == true)
        #expect(node["k"].map { if case .int(-7) = $0.value { true } else { false } } == true)
        #expect(node["l"]?.string == "true")
        #expect(node["m"].map { if case .bool(true) = $0.value { true } else { false } } == true)
        #expect(node["n"].map { if case .float(2.5) = $0.value { true } else { false } } == true)
        #expect(node["o"].map { if case .null = $0.value { true } else { false } } == true)
    }

    @Test func keepsOneBasedLinesAndColumnsOfKeysAndValues() throws {
        let node = try #require(root("steps:\n  start:\n    next: [a, é, b]\n"))
        let start = try #require(node["steps"]?.entries?.first)
        #expect(start.key.span.start == SourcePosition(line: 2, column: 3))
        #expect(start.key.span.end == SourcePosition(line: 2, column: 8))
        let items = try #require(start.value["next"]?.items)
        #expect(items.map(\.span.start.column) == [12, 15, 18])
        #expect(items[2].span.start.line == 3)
    }

    @Test func reportsDuplicateKeysWithTheFirstPlace() throws {
        let loaded = expectFindings(spec(steps: "  start: {run: 'a:b'}\n  start: {run: 'a:c'}"),
                                    [Expected(.duplicateKey, 5, 3)])
        let note = try #require(loaded.diagnostics.first?.notes.first?.span)
        #expect(note.start == SourcePosition(line: 4, column: 3))
        #expect(loaded.spec?.steps.count == 1)
    }

    @Test func reportsDuplicateKeysInLongMappings() throws {
        let steps = (0..<20).map { "  s\($0): {run: 'a:b'}" } + ["  s3: {run: 'a:c'}", "  s19: {run: 'a:d'}"]
        let loaded = expectFindings(spec(steps: steps.joined(separator: "\n")),
                                    [Expected(.duplicateKey, 24, 3), Expected(.duplicateKey, 25, 3)])
        #expect(loaded.diagnostics.compactMap { $0.notes.first?.span?.start.line } == [7, 23])
        #expect(loaded.spec?.steps.count == 20)
    }

    @Test func refusesABillionLaughsDocumentWithOneFinding() {
        var text = "a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n"
        for level in 1...9 {
            let refs = Array(repeating: "*a\(level - 1)", count: 10).joined(separator: ", ")
            text += "a\(level): &a\(level) [\(refs)]\n"
        }
        let loaded = SpecLoader.load(text: text, file: "laughs.yaml")
        #expect(loaded.diagnostics.map(\.code) == [.aliasExpansion])
        #expect(loaded.spec == nil)
    }

    @Test func expandsSmallAliases() throws {
        let node = try #require(root("base: &b {retry: 2}\nother: *b\n"))
        #expect(node["other"]?["retry"].map { if case .int(2) = $0.value { true } else { false } } == true)
    }

    @Test(arguments: [
        String(repeating: "[", count: 10_000) + String(repeating: "]", count: 10_000),
        String(repeating: "{a: ", count: 10_000) + "1" + String(repeating: "}", count: 10_000),
        // Block style needs n^2 characters for n levels; 200 is well past the limit.
        (0..<200).map { String(repeating: " ", count: $0) + "k:\n" }.joined(),
        (0..<200).map { String(repeating: " ", count: $0) + "- \n" }.joined(),
    ])
    func refusesDeepNestingWithOneFinding(text: String) {
        let loaded = SpecLoader.load(text: text, file: "deep.yaml")
        #expect(loaded.diagnostics.map(\.code) == [.nestingTooDeep])
    }

    @Test(arguments: ["", "# only a comment\n", "\n\n"])
    func reportsAnEmptySpec(text: String) {
        let loaded = SpecLoader.load(text: text, file: "empty.yaml")
        #expect(loaded.diagnostics.map(\.code) == [.emptySpec])
    }

    @Test func refusesBinaryGarbage() {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<4096).map { _ in UInt8.random(in: 0...255, using: &generator) }
        let result = DocumentLoader(limits: .standard).load(bytes: bytes, file: "garbage.yaml")
        #expect(result.diagnostics.map(\.code) == [.notText])
        #expect(result.root == nil)
    }

    @Test func pointsAtTheFirstInvalidByte() {
        let result = DocumentLoader(limits: .standard).load(bytes: Array("a: 1\nb: x".utf8) + [0xFF], file: "t.yaml")
        #expect(result.diagnostics.first?.span.start == SourcePosition(line: 2, column: 5))
    }

    @Test func refusesAFileOverTheSizeBoundBeforeReadingIt() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("big-\(UUID()).yaml").path
        #expect(FileManager.default.createFile(atPath: path, contents: nil))
        defer { try? FileManager.default.removeItem(atPath: path) }
        let handle = try #require(FileHandle(forWritingAtPath: path))
        try handle.truncate(atOffset: 50 << 20)
        try handle.close()
        let loaded = SpecLoader.load(path: path)
        #expect(loaded.diagnostics.map(\.code) == [.fileTooLarge])
        #expect(loaded.diagnostics.first?.message.contains("50.0 MB") == true)
    }

    @Test func reportsAMissingFile() {
        let loaded = SpecLoader.load(path: "/nonexistent/flow.yaml")
        #expect(loaded.diagnostics.map(\.code) == [.unreadableFile])
    }

    @Test func reportsSyntaxErrorsAtTheirPlace() {
        expectFindings("flowspec: 1\nname: [a\nsteps: {}\n", [Expected(.syntaxError, 3, 6)])
        expectFindings("a: 1\n\tb: 2\n", [Expected(.syntaxError, 2, 1)])
    }

    @Test func refusesMoreThanOneDocument() {
        expectFindings(spec() + "---\nname: Other\n", [Expected(.multipleDocuments, 5, 1)])
    }

    @Test func reportsUndefinedAliasesAndForeignTags() {
        expectFindings(spec(steps: "  start: {run: *nope}"), [Expected(.undefinedAlias, 4, 16)])
        expectFindings(spec(steps: "  start: !!python/object:os.system {run: 'a:b'}"), [Expected(.unsupportedTag, 4, 10)])
        expectFindings(spec(steps: "  start: {run: !!str 'a:b', retry: !!int 2}"), [])
    }

    @Test func refusesNonScalarKeys() {
        expectFindings(spec(steps: "  ? [a, b]\n  : {run: 'a:b'}\n  start: {run: 'a:b'}"), [Expected(.complexKey, 4, 5)])
    }

    @Test func warnsAboutAnUnknownExtension() {
        expectFindings(spec(), file: "flow.txt", [Expected(.unknownExtension, 1, 1)])
    }
}
