import Testing
@testable import FlowBasics

@Suite struct NearestNamesTests {
    @Test func suggestsTheClosestName() {
        #expect(NearestNames.to("genre", among: ["genres", "top", "data"]) == ["genres"])
        #expect(NearestNames.to("foreahc", among: ["foreach", "join"]) == ["foreach"])
        #expect(NearestNames.to("xyz", among: ["foreach", "join"]).isEmpty)
    }

    @Test func countsTranspositionsAsOneEdit() {
        #expect(NearestNames.editDistance("ab", "ba") == 1)
        #expect(NearestNames.editDistance("kitten", "sitting") == 3)
    }

    @Test func quotesLists() {
        #expect(quotedList(["a"]) == "'a'")
        #expect(quotedList(["a", "b", "c"]) == "'a', 'b' and 'c'")
    }
}
