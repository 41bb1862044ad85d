import Testing
@testable import FlowStore

@Suite struct LookupTests {
    @Test func runIDsLookLikeTheirDocumentation() {
        let id = RunID.make(at: 1_795_299_330_000).rawValue  // 2026-11-21T22:15:30Z
        #expect(id.hasPrefix("20261121-221530-"))
        #expect(id.count == 20)
        #expect(id.suffix(4).allSatisfy { $0.isHexDigit && !$0.isUppercase })
    }

    @Test func findsRunsByIdPrefixAndLatest() throws {
        let store = TemporaryStore()
        let writer = try StoreWriter(path: store.path)
        let a = try writer.beginRun(NewRun(flow: "A"))
        let b = try writer.beginRun(NewRun(flow: "B"))
        let c = try writer.beginRun(NewRun(flow: "A"))
        let reader = try StoreReader(path: store.path)

        #expect(try reader.runs().map(\.id) == [c, b, a])
        #expect(try reader.runs(flow: "A").map(\.id) == [c, a])
        #expect(try reader.runs(limit: 1).map(\.id) == [c])
        #expect(try reader.run("latest").id == c)
        #expect(try reader.run("B/latest").id == b)
        #expect(try reader.run("latest", flow: "B").id == b)
        #expect(try reader.run(a.rawValue).id == a)
        #expect(try reader.run("A/\(a.rawValue)").id == a)

        // The last four characters are random: the full id minus one character is unique
        // unless two suffixes happen to share their first three digits.
        let prefix = String(c.rawValue.dropLast())
        if ![a, b].contains(where: { $0.rawValue.hasPrefix(prefix) }) {
            #expect(try reader.run(prefix).id == c)
        }
        do {
            _ = try reader.run("2")
            Issue.record("an ambiguous prefix matched one run")
        } catch StoreError.ambiguousRun(_, let candidates) {
            #expect(candidates.count == 3)
        }
        #expect(throws: StoreError.self) { try reader.run("19990101") }
        #expect(throws: StoreError.self) { try reader.run("B/\(a.rawValue)") }
        #expect(throws: StoreError.self) { try reader.run("Nope/latest") }
    }
}
