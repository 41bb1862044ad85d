@testable import FlowStore
import Testing
@testable import FlowReport

@Suite struct GraphTests {
    static let switchSpec = """
        flowspec: 1
        name: Loop
        steps:
          start: {run: s.py:a, next: [left, right]}
          left: {run: s.py:b, next: meet}
          right: {run: s.py:c, next: meet}
          meet: {join: true, run: s.py:d, next: train}
          train:
            run: s.py:e
            max_iterations: 3
            switch: {on: done, cases: {true: end}, default: train}
          end: {run: s.py:f}
        """

    static func steps(_ names: [String]) -> [StepRecord] {
        names.enumerated().map { StepRecord(run: RunID("r"), name: $1, position: $0, kind: "linear", isEnd: $1 == "end") }
    }

    @Test func theRecordedSpecGivesEdgesLoopsAndLayers() throws {
        let names = ["start", "left", "right", "meet", "train", "end"]
        let shape = GraphShape.of(steps: Self.steps(names), spec: (Self.switchSpec, "flow.yaml")) { [] }
        #expect(shape.nodes.map(\.name) == names)
        #expect(shape.nodes.first?.target == "s.py:a")
        #expect(shape.edges.contains(.init(from: "train", to: "train", label: "default", isLoop: true)))
        #expect(shape.edges.contains(.init(from: "train", to: "end", label: "true")))
        #expect(GraphLayout.layers(shape) == [["start"], ["left", "right"], ["meet"], ["train"], ["end"]])
    }

    @Test func withoutASpecTheTasksEdgesAreDrawn() {
        let shape = GraphShape.of(steps: Self.steps(["a", "b"]), spec: ("not: [yaml", "flow.yaml")) { [.init(from: "a", to: "b")] }
        #expect(shape.edges == [.init(from: "a", to: "b")])
        #expect(GraphLayout.layers(shape) == [["a"], ["b"]])
    }

    @Test func everyStepIsABoxInItsStatesColour() {
        let shape = GraphShape(nodes: ["a", "b", "c"].map { .init(name: $0, kind: "linear") },
                               edges: [.init(from: "a", to: "b"), .init(from: "b", to: "c")])
        let states: [String: StepState] = [
            "a": StepState(tasks: [task("a", .completed)], runStatus: .failed),
            "b": StepState(tasks: [task("b", .completed), task("b", .failed)], runStatus: .failed),
            "c": StepState(tasks: [], runStatus: .failed),
        ]
        let svg = GraphSVG.render(shape, states: states) { "/steps/\($0)" }.markup
        #expect(svg.contains("class=\"step state-completed\" data-step=\"a\""))
        #expect(svg.contains("class=\"step state-failed\" data-step=\"b\""))
        #expect(svg.contains("class=\"step state-not-run\" data-step=\"c\""))
        #expect(svg.contains("1/2 · 1 failed"))
        #expect(svg.components(separatedBy: "class=\"edge\"").count == 3)
        #expect(svg.contains("<a href=\"/steps/b\">"))
    }

    func task(_ step: String, _ status: TaskStatus) -> TaskRecord {
        TaskRecord(id: TaskID(Int64.random(in: 1...1_000_000)), run: RunID("r"), step: step, index: [], foreachIndex: nil,
                   iteration: 0, status: status, originTask: nil, createdAt: 0, startedAt: 0, finishedAt: 1, inLoop: false)
    }
}

@Suite struct TimelineTests {
    @Test func barsTooNarrowToTellApartAreDrawnAsOne() {
        // 10,000 back-to-back attempts over 850 px: a bar of 0.085 px each.
        let bars = (0..<10_000).map { TimelineSVG.Bar(x1: Double($0) * 0.085, x2: Double($0 + 1) * 0.085, style: "c0", tip: "t") }
        let merged = TimelineSVG.merged(bars)
        #expect(merged.count < 500)
        #expect(merged.map(\.count).reduce(0, +) == 10_000)
        let wide = [TimelineSVG.Bar(x1: 0, x2: 50, style: "c0", tip: "a"), TimelineSVG.Bar(x1: 50, x2: 100, style: "c0", tip: "b")]
        #expect(TimelineSVG.merged(wide).count == 2, "bars wide enough to see stay apart")
        let other = [TimelineSVG.Bar(x1: 0, x2: 1, style: "c0", tip: "a"), TimelineSVG.Bar(x1: 1, x2: 2, style: "c1 failed", tip: "b")]
        #expect(TimelineSVG.merged(other).count == 2, "a failed attempt is never hidden in another step's bar")
    }
}
