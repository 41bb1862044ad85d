import FlowBasics
import Testing
import WorkerProtocol

/// A value's JSON text on its own (how the store keeps a foreach task's item) reads back as
/// the same value.
@Suite struct ValueRefTextTests {
    @Test(arguments: [
        ValueRef.blob("ab", path: [.index(3), .attr("rows"), .key("k")]),
        .blob("cd"),
        .literal(.object(["b": .double(2.0), "a": .int(1)])),
        .list([.blob("ab", path: [.index(0)]), .literal(.string("x"))]),
        .namespaces([["x": .blob("ab")], ["x": .literal(.null)]], steps: ["a", "b"]),
    ])
    func readsBackAsWritten(ref: ValueRef) throws {
        #expect(ValueRef(jsonText: ref.jsonText) == ref, "\(ref.jsonText)")
    }

    @Test func writesAsTheProtocolDoes() {
        #expect(ValueRef.blob("ab", path: [.index(3)]).jsonText == #"{"blob":"ab","path":[["index",3]]}"#)
        #expect(ValueRef.literal(.double(2.0)).jsonText == #"{"literal":2.0}"#)
    }

    @Test(arguments: ["", "[]", #"{"blob":1}"#, #"{"blob":"ab","path":[["index","3"]]}"#, #"{"other":1}"#, #"{"list":[{}]}"#])
    func refusesWhatIsNotAValue(text: String) {
        #expect(ValueRef(jsonText: text) == nil)
    }
}
