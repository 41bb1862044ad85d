import FlowGraph
import FlowSpec
import Foundation
import Testing

/// Every spec of the valid corpus plans, every join in it knows the split it closes, and every
/// foreach knows its join.
@Suite struct PlanCorpusTests {
    static let specs: [String] = {
        let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("specs/valid")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        return names.filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".json") }.sorted().map { folder.appendingPathComponent($0).path }
    }()

    @Test func theCorpusIsThere() { #expect(Self.specs.count >= 12) }

    @Test(arguments: specs)
    func plans(path: String) throws {
        let spec = try #require(SpecLoader.load(path: path).spec)
        let plan = try planning(spec)
        #expect(plan.order.count == spec.steps.count)
        for name in plan.order {
            let planned = try #require(plan[name])
            let step = try #require(spec.step(named: name))
            if step.foreach != nil { #expect(planned.closingJoin != nil, "\(name) has no closing join") }
            if step.isJoin { #expect(planned.join != nil, "\(name) closes no split") }
        }
    }
}
