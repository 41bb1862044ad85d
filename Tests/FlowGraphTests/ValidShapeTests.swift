import FlowBasics
@testable import FlowGraph
import FlowSpec
import Testing

/// Shapes that must lint clean, with the split structure the graph gives them.
@Suite struct ValidShapeTests {
    @Test func singleStep() {
        var b = SpecBuilder()
        b.step("only")
        expectFindings(b.spec)
        let graph = StepGraph(spec: b.spec)
        #expect(graph.order == ["only"])
        #expect(graph.edges.isEmpty)
    }

    @Test func linear() {
        var b = SpecBuilder(params: ["top"])
        b.step("start", outputs: "rows", next: ["clean"])
        b.step("clean", outputs: "[table, stats]", next: ["end"], args: ["data": "rows", "n": "top"])
        b.step("end", args: ["t": "table.columns[0]", "s": "stats[\"mean\"]"])
        expectFindings(b.spec)
        let graph = StepGraph(spec: b.spec)
        #expect(graph.order == ["start", "clean", "end"])
        #expect(graph.parents(of: "end") == ["clean"])
        #expect(graph.successors(of: "start").map(\.kind) == [.next])
    }

    @Test func stepWithoutOutputsProducesItsOwnName() {
        var b = SpecBuilder()
        b.step("load", next: ["end"])
        b.step("end", args: ["x": "load"])
        expectFindings(b.spec)
    }

    @Test func branch() {
        var b = SpecBuilder()
        b.step("start", outputs: "data", next: ["a", "b"])
        b.step("a", outputs: "score", next: ["join"])
        b.step("b", outputs: "score", next: ["join"])
        b.step("join", join: true, outputs: "best", next: ["end"],
               args: ["all": "inputs.score", "first": "inputs.a.score", "raw": "data", "each": "inputs"])
        b.step("end", args: ["x": "best", "d": "data"])
        expectFindings(b.spec)
        let graph = StepGraph(spec: b.spec)
        #expect(graph.successors(of: "start").map(\.kind) == [.branch(0), .branch(1)])
        #expect(graph.enclosingSplits(of: "a") == [.branch(step: "start", index: 0)])
        #expect(graph.splitDepth(of: "b") == 1)
        #expect(graph.splitDepth(of: "join") == 0)
        #expect(graph.parents(of: "join") == ["a", "b"])
    }

    @Test func nestedBranch() {
        var b = SpecBuilder()
        b.step("start", next: ["a", "b"])
        b.step("a", next: ["c", "d"])
        b.step("c", outputs: "x", next: ["inner"])
        b.step("d", outputs: "x", next: ["inner"])
        b.step("inner", join: true, outputs: "x", next: ["outer"], args: ["xs": "inputs.x"])
        b.step("b", outputs: "x", next: ["outer"])
        b.step("outer", join: true, outputs: "y", next: ["end"], args: ["xs": "inputs.x", "fromA": "inputs.inner.x"])
        b.step("end", args: ["y": "y"])
        expectFindings(b.spec)
        let graph = StepGraph(spec: b.spec)
        #expect(graph.order == ["start", "a", "c", "d", "inner", "b", "outer", "end"])
        #expect(graph.enclosingSplits(of: "c") == [.branch(step: "start", index: 0), .branch(step: "a", index: 0)])
        #expect(graph.splitDepth(of: "inner") == 1)
    }

    @Test func foreachOfTheSpec() {
        var b = SpecBuilder()
        b.step("start", outputs: "[movies, genres]", next: ["per_genre"])
        b.step("per_genre", foreach: "genres", outputs: "stats", next: ["combine"], args: ["genre": "item", "n": "index"])
        b.step("combine", join: true, outputs: "table", next: ["end"], args: ["all_stats": "inputs.stats", "movies": "movies"])
        b.step("end", args: ["table": "table"])
        expectFindings(b.spec)
        let graph = StepGraph(spec: b.spec)
        #expect(graph.enclosingSplits(of: "per_genre") == [.foreach(step: "per_genre")])
        #expect(graph.splitDepth(of: "combine") == 0)
    }

    @Test func threeDeepForeach() {
        var b = SpecBuilder()
        b.step("start", outputs: "years", next: ["year"])
        b.step("year", foreach: "years", outputs: "months", next: ["month"])
        b.step("month", foreach: "months", outputs: "days", next: ["day"], args: ["y": "year.item"])
        b.step("day", foreach: "days", outputs: "count", next: ["join_days"], args: ["y": "year.item", "m": "month.index", "d": "item", "i": "day.index"])
        b.step("join_days", join: true, outputs: "total", next: ["join_months"], args: ["c": "inputs.count", "m": "month.item"])
        b.step("join_months", join: true, outputs: "total", next: ["join_years"], args: ["t": "inputs.total", "y": "item"])
        b.step("join_years", join: true, outputs: "total", next: ["end"], args: ["t": "inputs.total"])
        b.step("end", args: ["t": "total", "years": "years"])
        expectFindings(b.spec)
        let graph = StepGraph(spec: b.spec)
        #expect(graph.splitDepth(of: "day") == 3)
        #expect(graph.enclosingSplits(of: "join_days") == [.foreach(step: "year"), .foreach(step: "month")])
        #expect(graph.splitDepth(of: "end") == 0)
    }

    @Test func foreachInsideABranch() {
        var b = SpecBuilder()
        b.step("start", outputs: "items", next: ["each", "other"])
        b.step("each", foreach: "items", outputs: "part", next: ["gather"])
        b.step("gather", join: true, outputs: "parts", next: ["join"], args: ["p": "inputs.part"])
        b.step("other", outputs: "parts", next: ["join"])
        b.step("join", join: true, next: ["end"], args: ["p": "inputs.parts", "g": "inputs.gather.parts"])
        b.step("end", args: ["i": "items"])
        expectFindings(b.spec)
        let graph = StepGraph(spec: b.spec)
        #expect(graph.enclosingSplits(of: "each") == [.branch(step: "start", index: 0), .foreach(step: "each")])
    }

    @Test func branchInsideAForeach() {
        var b = SpecBuilder()
        b.step("start", outputs: "items", next: ["each"])
        b.step("each", foreach: "items", outputs: "value", next: ["a", "b"])
        b.step("a", outputs: "r", next: ["both"], args: ["v": "value", "i": "item"])
        b.step("b", outputs: "r", next: ["both"], args: ["i": "each.index"])
        b.step("both", join: true, outputs: "r", next: ["all"], args: ["rs": "inputs.r", "v": "value", "i": "item"])
        b.step("all", join: true, outputs: "rs", next: ["end"], args: ["rs": "inputs.r"])
        b.step("end", args: ["rs": "rs"])
        expectFindings(b.spec)
        let graph = StepGraph(spec: b.spec)
        #expect(graph.enclosingSplits(of: "a") == [.foreach(step: "each"), .branch(step: "each", index: 0)])
        #expect(graph.enclosingSplits(of: "both") == [.foreach(step: "each")])
    }

    @Test func switchConvergesWithoutJoin() {
        var b = SpecBuilder(params: ["mode"])
        b.step("start", outputs: "data", switchOn: "mode", cases: ["fast": "quick", "slow": "thorough"], default: "skip")
        b.step("quick", outputs: "model", next: ["end"])
        b.step("thorough", outputs: "model", next: ["end"])
        b.step("skip", outputs: "note", next: ["end"])
        b.step("end", args: ["m": "model", "n": "note", "d": "data"])
        expectFindings(b.spec)
        let graph = StepGraph(spec: b.spec)
        #expect(graph.successors(of: "start").map(\.kind) == [
            .switchCase(label: "fast"), .switchCase(label: "slow"), .switchDefault,
        ])
        #expect(graph.splitDepth(of: "quick") == 0)
        #expect(graph.parents(of: "end") == ["quick", "thorough", "skip"])
    }

    @Test func switchOnItsOwnOutput() {
        var b = SpecBuilder()
        b.step("start", outputs: "ok", switchOn: "ok", cases: ["true": "end", "false": "fix"])
        b.step("fix", next: ["end"])
        b.step("end")
        expectFindings(b.spec)
    }

    @Test func switchConvergenceMayBeAJoin() {
        var b = SpecBuilder(params: ["mode"])
        b.step("start", switchOn: "mode", cases: ["a": "left", "b": "right"])
        b.step("left", outputs: "x", next: ["end"])
        b.step("right", outputs: "x", next: ["end"])
        b.step("end", join: true, args: ["x": "x"])
        expectFindings(b.spec)
    }

    @Test func switchInsideABranch() {
        var b = SpecBuilder(params: ["mode"])
        b.step("start", next: ["pick", "other"])
        b.step("pick", switchOn: "mode", cases: ["a": "left", "b": "right"])
        b.step("left", outputs: "x", next: ["join"])
        b.step("right", outputs: "x", next: ["join"])
        b.step("other", outputs: "x", next: ["join"])
        b.step("join", join: true, next: ["end"], args: ["xs": "inputs.x"])
        b.step("end")
        expectFindings(b.spec)
    }

    @Test func switchLoopWithMaxIterations() {
        var b = SpecBuilder()
        b.step("start", outputs: "data", next: ["train"])
        b.step("train", outputs: "model", next: ["check"])
        b.step("check", outputs: "good", switchOn: "good", cases: ["false": "train", "true": "end"], maxIterations: 5)
        b.step("end", args: ["m": "model"])
        expectFindings(b.spec)
        let graph = StepGraph(spec: b.spec)
        #expect(graph.order == ["start", "train", "check", "end"])
        #expect(graph.backEdges.map(\.kind) == [.loop(label: "false")])
        #expect(graph.successors(of: "check").map(\.kind) == [.loop(label: "false"), .switchCase(label: "true")])
        #expect(graph.parents(of: "train") == ["start"])
    }

    @Test func switchLoopInsideAForeach() {
        var b = SpecBuilder()
        b.step("start", outputs: "items", next: ["each"])
        b.step("each", foreach: "items", next: ["work"])
        b.step("work", outputs: "done", switchOn: "done", cases: ["no": "work", "yes": "gather"], maxIterations: 3)
        b.step("gather", join: true, next: ["end"], args: ["d": "inputs.done"])
        b.step("end")
        expectFindings(b.spec)
    }

    @Test func joinAndForeachOnOneStep() {
        var b = SpecBuilder()
        b.step("start", outputs: "groups", next: ["each_group"])
        b.step("each_group", foreach: "groups", outputs: "rows", next: ["regroup"])
        b.step("regroup", join: true, foreach: "inputs.rows", outputs: "row", next: ["each_row"], args: ["g": "item"])
        b.step("each_row", outputs: "score", next: ["collect"], args: ["r": "row", "i": "regroup.item"])
        b.step("collect", join: true, outputs: "scores", next: ["end"], args: ["s": "inputs.score"])
        b.step("end", args: ["s": "scores"])
        expectFindings(b.spec)
        let graph = StepGraph(spec: b.spec)
        #expect(graph.enclosingSplits(of: "regroup") == [.foreach(step: "regroup")])
        #expect(graph.splitDepth(of: "each_row") == 1)
    }

    @Test func mappingOutputsHideUnknownNames() {
        var b = SpecBuilder()
        b.step("start", outputs: "*", next: ["end"])
        b.step("end", args: ["a": "anything"])
        expectFindings(b.spec)
    }

    @Test func catchNameIsAnArtifact() {
        var b = SpecBuilder()
        b.step("start", outputs: "x", next: ["end"], catchName: "failure")
        b.step("end", args: ["f": "failure"])
        expectFindings(b.spec)
    }

    @Test func emptySpecHasNoGraphFindings() {
        expectFindings(Spec(file: "flow.yaml"))
        #expect(StepGraph(spec: Spec(file: "flow.yaml")).order.isEmpty)
    }
}
