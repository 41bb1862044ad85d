import FlowSpec
import Foundation
import Testing

/// `flowspec schema` prints exactly the committed specs/flowspec.schema.json, and the schema
/// names exactly the keys the loader accepts.
@Suite struct SchemaCommandTests {
    private func committedSchema() throws -> String {
        try String(contentsOf: repositoryRoot.appendingPathComponent("specs/flowspec.schema.json"), encoding: .utf8)
    }

    @Test func printsTheCommittedSchema() throws {
        let outcome = try flowspec(["schema"])
        #expect(outcome.status == 0)
        #expect(outcome.stdout == (try committedSchema()).trimmingCharacters(in: .newlines) + "\n",
                "run scripts/embed-schema.py after editing specs/flowspec.schema.json")
    }

    @Test func namesTheKeysTheLoaderAccepts() throws {
        let schema = try #require(JSONSerialization.jsonObject(with: Data(try committedSchema().utf8)) as? [String: Any])
        let topLevel = try #require(schema["properties"] as? [String: Any])
        #expect(Set(topLevel.keys) == Set(SpecKeys.topLevel))
        let definitions = try #require(schema["$defs"] as? [String: Any])
        let step = try #require(definitions["step"] as? [String: Any])
        let stepKeys = Set(try #require(step["properties"] as? [String: Any]).keys)
        #expect(stepKeys == Set(SpecKeys.step))
        let defaults = try #require(definitions["defaults"] as? [String: Any])
        let defaultKeys = Set(try #require(defaults["properties"] as? [String: Any]).keys)
        #expect(defaultKeys == Set(SpecKeys.defaults))
        let param = try #require(definitions["param"] as? [String: Any])
        #expect(Set(try #require(param["properties"] as? [String: Any]).keys) == Set(SpecKeys.param))
    }
}
