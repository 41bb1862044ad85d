import FlowBasics
@testable import FlowGraph
import FlowSpec
import Testing

/// FS02xx: what each step can see. Each test asserts every finding, with its exact span.
@Suite struct DataFlowTests {
    /// The example of docs/spec.md section 6, to the letter.
    @Test func foreachOverAnArtifactNothingProduces() {
        var b = SpecBuilder()
        b.step("start", outputs: "[movies, genres]", next: ["per_genre"])
        b.step("per_genre", foreach: "genre", outputs: "stats", next: ["combine"], args: ["genre": "item"])
        b.step("combine", join: true, outputs: "table", next: ["end"], args: ["all_stats": "inputs.stats"])
        b.step("end")
        expectFindings(b.spec, [
            Expected(.unknownForeachArtifact, b.foreach("per_genre"),
                     "step 'per_genre' iterates over 'genre', which no earlier step produces",
                     hint: "did you mean 'genres' (produced by 'start')?"),
        ])
    }

    @Test func argumentsAndSwitchOnUnknownArtifacts() {
        var b = SpecBuilder(params: ["threshold"])
        b.step("start", outputs: "score", next: ["decide"], args: ["t": "treshold", "x": "nothing_like_it"])
        b.step("decide", switchOn: "scores.best", cases: ["a": "end"])
        b.step("end")
        expectFindings(b.spec, [
            Expected(.unknownArgsArtifact, b.arg("start", "t"),
                     "argument 't' of step 'start' refers to 'treshold', which no earlier step produces",
                     hint: "did you mean 'threshold'?"),
            Expected(.unknownArgsArtifact, b.arg("start", "x"),
                     "argument 'x' of step 'start' refers to 'nothing_like_it', which no earlier step produces",
                     hint: ""),
            Expected(.unknownSwitchArtifact, b.on("decide"),
                     "step 'decide' switches on 'scores', which neither 'decide' nor an earlier step produces",
                     hint: "did you mean 'score' (produced by 'start')?"),
        ])
    }

    @Test func artifactProducedOnlyLaterOrBySelf() {
        var b = SpecBuilder()
        b.step("start", next: ["a"], args: ["m": "model"])
        b.step("a", outputs: "x", next: ["train"], args: ["x": "x"])
        b.step("train", outputs: "model", next: ["end"])
        b.step("end")
        expectFindings(b.spec, [
            Expected(.unknownArgsArtifact, b.arg("start", "m"),
                     "argument 'm' of step 'start' refers to 'model', which no earlier step produces",
                     hint: "'model' is produced by 'train', which does not run before 'start'"),
            Expected(.unknownArgsArtifact, b.arg("a", "x"),
                     "argument 'x' of step 'a' refers to 'x', which no earlier step produces",
                     hint: "'x' is an output of 'a' itself; a step reads only what runs before it"),
        ])
    }

    @Test func stepWithoutRunProducesNothing() {
        var b = SpecBuilder()
        b.step("start", run: false, outputs: "x", next: ["end"])
        b.step("end", args: ["x": "x", "s": "start"])
        expectFindings(b.spec, [
            Expected(.unknownArgsArtifact, b.arg("end", "x"), "argument 'x' of step 'end' refers to 'x', which no earlier step produces"),
            Expected(.unknownArgsArtifact, b.arg("end", "s"), "argument 's' of step 'end' refers to 'start', which no earlier step produces"),
        ])
    }

    @Test func siblingBranchesDoNotSeeEachOther() {
        var b = SpecBuilder()
        b.step("start", next: ["a", "b"])
        b.step("a", outputs: "left", next: ["join"])
        b.step("b", outputs: "right", next: ["join"], args: ["l": "left"])
        b.step("join", join: true, next: ["end"])
        b.step("end")
        expectFindings(b.spec, [
            Expected(.unknownArgsArtifact, b.arg("b", "l"), "argument 'l' of step 'b' refers to 'left', which no earlier step produces",
                     hint: "'left' is produced by 'a', which does not run before 'b'"),
        ])
    }

    @Test func itemOutsideAForeach() {
        var b = SpecBuilder()
        b.step("start", outputs: "xs", next: ["each"], args: ["i": "item"])
        b.step("each", foreach: "xs", next: ["join"])
        b.step("join", join: true, next: ["end"], args: ["i": "index"])
        b.step("end")
        expectFindings(b.spec, [
            Expected(.itemOutsideForeach, b.arg("start", "i"),
                     "argument 'i' of step 'start' refers to 'item', but 'start' is not inside a foreach",
                     hint: "'item' and 'index' exist only from a step with 'foreach' up to its join"),
            Expected(.itemOutsideForeach, b.arg("join", "i"),
                     "argument 'i' of step 'join' refers to 'index', but 'join' is not inside a foreach",
                     hint: "'join' joins the foreach at 'each': read the items through 'inputs'"),
        ])
    }

    @Test func foreachOverItemNeedsAnOuterForeach() {
        var b = SpecBuilder()
        b.step("start", next: ["each"])
        b.step("each", foreach: "item.children", next: ["join"])
        b.step("join", join: true, next: ["end"])
        b.step("end")
        expectFindings(b.spec, [
            Expected(.itemOutsideForeach, b.foreach("each"),
                     "step 'each' iterates over 'item', but 'each' is not inside a foreach"),
        ])
    }

    @Test func inputsOutsideAJoin() {
        var b = SpecBuilder()
        b.step("start", outputs: "x", next: ["end"])
        b.step("end", args: ["xs": "inputs.x", "all": "inputs"])
        expectFindings(b.spec, [
            Expected(.inputsOutsideJoin, b.arg("end", "xs"),
                     "argument 'xs' of step 'end' refers to 'inputs.x', but 'end' is not a join",
                     hint: "'end' is not a join: refer to 'x' directly"),
            Expected(.inputsOutsideJoin, b.arg("end", "all"),
                     "argument 'all' of step 'end' refers to 'inputs', but 'end' is not a join",
                     hint: "only a step with 'join: true' reads 'inputs'"),
        ])
    }

    @Test func stepItemNeedsAnEnclosingForeach() {
        var b = SpecBuilder()
        b.step("start", outputs: "[xs, ys]", next: ["outer"])
        b.step("outer", foreach: "xs", next: ["inner"])
        b.step("inner", foreach: "ys", next: ["join_inner"], args: ["i": "inner.item", "o": "outer.index"])
        b.step("join_inner", join: true, next: ["other"], args: ["i": "inner.item"])
        b.step("other", foreach: "ys", next: ["join_other"], args: ["x": "outer.item", "self": "other.index"])
        b.step("join_other", join: true, next: ["join_outer"])
        b.step("join_outer", join: true, next: ["end"])
        b.step("end", args: ["o": "outer.item", "s": "start.item"])
        expectFindings(b.spec, [
            Expected(.notAnEnclosingForeach, b.arg("join_inner", "i"),
                     "argument 'i' of step 'join_inner' refers to 'inner.item', but 'join_inner' is not inside the foreach at 'inner'",
                     hint: "the enclosing foreach steps are 'outer'"),
            Expected(.notAnEnclosingForeach, b.arg("end", "o"),
                     "argument 'o' of step 'end' refers to 'outer.item', but 'end' is not inside the foreach at 'outer'",
                     hint: "only steps from 'outer' up to its join can read 'outer.item'"),
            // 'start' is no foreach step, so 'start.item' is an attribute of an artifact 'start'.
            Expected(.unknownArgsArtifact, b.arg("end", "s"),
                     "argument 's' of step 'end' refers to 'start', which no earlier step produces", hint: ""),
        ])
    }

    @Test func stepItemOfAVisibleArtifactIsTheArtifact() {
        var b = SpecBuilder()
        b.step("start", outputs: "xs", next: ["each"])
        b.step("each", foreach: "xs", next: ["join"])
        b.step("join", join: true, outputs: "each", next: ["end"])
        b.step("end", args: ["e": "each.item"])
        expectFindings(b.spec)
    }

    @Test func bareArtifactAfterABranchJoin() {
        var b = SpecBuilder(params: ["seed"])
        b.step("start", outputs: "data", next: ["a", "b"])
        b.step("a", outputs: "model", next: ["join"])
        b.step("b", outputs: "model", next: ["join"])
        b.step("join", join: true, outputs: "best", next: ["report"], args: ["m": "model", "d": "data", "s": "seed"])
        b.step("report", next: ["end"], args: ["m": "model.name", "b": "best"])
        b.step("end", args: ["m": "model"])
        expectFindings(b.spec, [
            Expected(.ambiguousAfterJoin, b.arg("join", "m"),
                     "argument 'm' of step 'join' refers to 'model', which differs between the branches joined at 'join'",
                     hint: "use 'inputs.model' in the join 'join'"),
            Expected(.ambiguousAfterJoin, b.arg("report", "m"),
                     "argument 'm' of step 'report' refers to 'model', which differs between the branches joined at 'join'",
                     hint: "read it as 'inputs.model' in the join 'join' and output a merged value"),
            Expected(.ambiguousAfterJoin, b.arg("end", "m"),
                     "argument 'm' of step 'end' refers to 'model', which differs between the branches joined at 'join'"),
        ])
    }

    @Test func bareArtifactAfterAForeachJoin() {
        var b = SpecBuilder()
        b.step("start", outputs: "xs", next: ["each"])
        b.step("each", foreach: "xs", outputs: "y", next: ["join"])
        b.step("join", join: true, next: ["end"], args: ["y": "y", "e": "each"])
        b.step("end")
        expectFindings(b.spec, [
            Expected(.ambiguousAfterJoin, b.arg("join", "y"),
                     "argument 'y' of step 'join' refers to 'y', which differs between the tasks of the foreach joined at 'join'",
                     hint: "use 'inputs.y' in the join 'join'"),
            Expected(.unknownArgsArtifact, b.arg("join", "e"),
                     "argument 'e' of step 'join' refers to 'each', which no earlier step produces",
                     hint: ""),
        ])
    }

    @Test func reproducedArtifactIsVisibleAgain() {
        var b = SpecBuilder()
        b.step("start", next: ["a", "b"])
        b.step("a", outputs: "x", next: ["join"])
        b.step("b", outputs: "x", next: ["join"])
        b.step("join", join: true, outputs: "x", next: ["end"], args: ["xs": "inputs.x"])
        b.step("end", args: ["x": "x"])
        expectFindings(b.spec)
    }

    @Test func mergedInsideAnOuterSplit() {
        var b = SpecBuilder()
        b.step("start", outputs: "xs", next: ["each"])
        b.step("each", foreach: "xs", outputs: "part", next: ["a", "b"])
        b.step("a", outputs: "r", next: ["both"])
        b.step("b", outputs: "r", next: ["both"])
        b.step("both", join: true, next: ["all"], args: ["p": "part"])
        b.step("all", join: true, next: ["end"], args: ["r": "inputs.r", "p": "inputs.part"])
        b.step("end", args: ["r": "r"])
        expectFindings(b.spec, [
            Expected(.ambiguousAfterJoin, b.arg("end", "r"),
                     "argument 'r' of step 'end' refers to 'r', which differs between the branches joined at 'both'",
                     hint: "read it as 'inputs.r' in the join 'both' and output a merged value"),
        ])
    }

    @Test func inputsNameMissingOnABranch() {
        var b = SpecBuilder()
        b.step("start", next: ["a", "b", "c"])
        b.step("a", outputs: "score", next: ["join"])
        b.step("b", outputs: "other", next: ["join"])
        b.step("c", outputs: "other", next: ["join"])
        b.step("join", join: true, next: ["end"], args: ["s": "inputs.score", "n": "inputs.scor", "o": "inputs.b.score"])
        b.step("end")
        expectFindings(b.spec, [
            Expected(.missingOnSomeBranch, b.arg("join", "s"),
                     "argument 's' of step 'join' refers to 'inputs.score', but the branches ending at 'b' and 'c' do not produce 'score'",
                     hint: "produce 'score' on every branch, or read 'inputs.STEP.score' from a branch that has it"),
            Expected(.missingOnSomeBranch, b.arg("join", "n"),
                     "argument 'n' of step 'join' refers to 'inputs.scor', but no branch joined at 'join' produces 'scor'",
                     hint: "did you mean 'score'?"),
            Expected(.missingOnSomeBranch, b.arg("join", "o"),
                     "argument 'o' of step 'join' refers to 'inputs.b.score', but the branch ending at 'b' does not produce 'score'",
                     hint: ""),
        ])
    }

    @Test func inputsStepMustBeAJoinedBranch() {
        var b = SpecBuilder()
        b.step("start", outputs: "xs", next: ["a", "b"])
        b.step("a", outputs: "x", next: ["join"])
        b.step("b", outputs: "x", next: ["join"])
        b.step("join", join: true, next: ["each"], args: ["p": "inputs.start.x", "q": "inputs.aa.x"])
        b.step("each", foreach: "xs", outputs: "y", next: ["gather"])
        b.step("gather", join: true, next: ["end"], args: ["y": "inputs.each.y", "ys": "inputs.y"])
        b.step("end")
        expectFindings(b.spec, [
            Expected(.notAJoinedBranch, b.arg("join", "p"),
                     "argument 'p' of step 'join' refers to 'inputs.start.x', but 'start' is not a branch joined at 'join'",
                     hint: "the joined branches end at 'a' and 'b'"),
            Expected(.notAJoinedBranch, b.arg("join", "q"),
                     "argument 'q' of step 'join' refers to 'inputs.aa.x', but 'aa' is not a branch joined at 'join'",
                     hint: "did you mean 'a'?"),
            Expected(.notAJoinedBranch, b.arg("gather", "y"),
                     "argument 'y' of step 'gather' refers to 'inputs.each.y', but 'gather' joins the tasks of the foreach at 'each', which have no step names",
                     hint: "use 'inputs.y'"),
        ])
    }

    @Test func catchNameThatIsAlsoAnOutput() {
        var b = SpecBuilder()
        b.step("start", outputs: "[result, error]", next: ["end"], catchName: "error")
        b.step("end", outputs: "error", catchName: "error")
        let findings = expectFindings(b.spec, [
            Expected(.catchShadowsOutput, b.catchName("start"),
                     "step 'start' catches errors into 'error', which is also one of its outputs",
                     hint: "give 'catch' another name, such as 'error_error'"),
            Expected(.catchShadowsOutput, b.catchName("end"),
                     "step 'end' catches errors into 'error', which is also one of its outputs"),
        ])
        let unpacked = SpecBuilder.span(line: 104, column: 25, length: 5)
        #expect(findings.first?.notes == [DiagnosticNote("'error' is an output here", at: unpacked)])
    }

    @Test func switchCaseArtifactsStayVisible() {
        var b = SpecBuilder(params: ["mode"])
        b.step("start", switchOn: "mode", cases: ["a": "left", "b": "right"])
        b.step("left", outputs: "l", next: ["middle"])
        b.step("right", outputs: "r", next: ["end"])
        b.step("middle", next: ["end"], args: ["r": "r"])
        b.step("end", args: ["l": "l", "r": "r"])
        expectFindings(b.spec, [
            Expected(.unknownArgsArtifact, b.arg("middle", "r"),
                     "argument 'r' of step 'middle' refers to 'r', which no earlier step produces",
                     hint: "'r' is produced by 'right', which does not run before 'middle'"),
        ])
    }
}
