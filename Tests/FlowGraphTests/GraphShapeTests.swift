import FlowBasics
@testable import FlowGraph
import FlowSpec
import Testing

/// FS03xx: the shape of the graph. Each test asserts every finding, with its exact span.
@Suite struct GraphShapeTests {
    /// Reachability findings would only echo the unknown names, so they are left out.
    @Test func unknownStepsAreReportedAndDropped() {
        var b = SpecBuilder(params: ["mode"])
        b.step("start", next: ["proces"])
        b.step("process", switchOn: "mode", cases: ["a": "end", "b": "ned"], default: "nowhere")
        b.step("end")
        expectFindings(b.spec, [
            Expected(.unknownStep, b.next("start"),
                     "step 'start' lists 'proces' in 'next', but no step is named 'proces'",
                     hint: "did you mean 'process'?"),
            Expected(.unknownStep, b.switchCase("process", 1),
                     "switch case 'b' of step 'process' goes to 'ned', but no step is named 'ned'",
                     hint: "did you mean 'end'?"),
            Expected(.unknownStep, b.defaultTarget("process"),
                     "the switch default of step 'process' goes to 'nowhere', but no step is named 'nowhere'",
                     hint: "the steps are 'start', 'process' and 'end'"),
        ])
    }

    @Test func cycleThroughNextIsShownAsAPath() {
        var b = SpecBuilder()
        b.step("start", next: ["a"])
        b.step("a", next: ["b"])
        b.step("b", next: ["a", "end"])
        b.step("end", join: true)
        expectFindings(b.spec, [
            Expected(.cycle, b.next("b", 0), "'next' of step 'b' leads back to 'a', making a cycle: a -> b -> a",
                     hint: "to repeat steps, go back with a 'switch' case and set 'max_iterations'"),
        ])
        let graph = StepGraph(spec: b.spec)
        #expect(graph.order == ["start", "a", "b", "end"])
        #expect(graph.backEdges.map(\.to) == ["a"])
    }

    @Test func selfCycle() {
        var b = SpecBuilder()
        b.step("start", next: ["start"])
        b.step("end")
        expectFindings(b.spec, [
            Expected(.cycle, b.next("start"), "'next' of step 'start' leads back to 'start', making a cycle: start -> start"),
            Expected(.unreachableStep, b.name("end"), "step 'end' is never reached from the first step 'start'"),
            Expected(.deadEnd, b.name("start"), "step 'start' never reaches the last step 'end'"),
        ])
    }

    @Test func loopNeedsMaxIterations() {
        var b = SpecBuilder()
        b.step("start", outputs: "x", next: ["check"])
        b.step("check", outputs: "ok", switchOn: "ok", cases: ["again": "start", "done": "end"], default: "check")
        b.step("end")
        expectFindings(b.spec, [
            Expected(.loopWithoutBound, b.switchCase("check", 0),
                     "switch case 'again' of step 'check' loops back to 'start', but 'check' sets no 'max_iterations'",
                     hint: "add 'max_iterations: N' to 'check' to bound the loop"),
            Expected(.loopWithoutBound, b.defaultTarget("check"),
                     "the switch default of step 'check' loops back to 'check', but 'check' sets no 'max_iterations'"),
        ])
    }

    @Test func maxIterationsWithoutLoopIsAWarning() {
        var b = SpecBuilder()
        b.step("start", next: ["end"], maxIterations: 3)
        b.step("end")
        let findings = expectFindings(b.spec, [
            Expected(.unusedMaxIterations, b.maxIterations("start"),
                     "step 'start' sets 'max_iterations' but no switch case of it loops back",
                     hint: "remove 'max_iterations' from 'start', or loop back with a 'switch' case"),
        ])
        #expect(findings.map(\.severity) == [.warning])
    }

    @Test func loopLeavingItsSplit() {
        var b = SpecBuilder()
        b.step("start", outputs: "items", next: ["prepare"])
        b.step("prepare", next: ["each"])
        b.step("each", foreach: "items", outputs: "ok", switchOn: "ok", cases: ["no": "prepare", "yes": "gather"], maxIterations: 2)
        b.step("gather", join: true, next: ["end"])
        b.step("end")
        expectFindings(b.spec, [
            Expected(.loopCrossesSplit, b.switchCase("each", 0),
                     "switch case 'no' of step 'each' loops back to 'prepare' in a different split: 'prepare' is outside the foreach at 'each'",
                     hint: "loop back to a step in the same branch or foreach as 'each'"),
        ])
    }

    @Test func unreachableAndDeadEndSteps() {
        var b = SpecBuilder()
        b.step("start", outputs: "ok", switchOn: "ok", cases: ["yes": "end", "no": "spin"])
        b.step("spin", outputs: "ok", switchOn: "ok", cases: ["again": "spin"], maxIterations: 3)
        b.step("orphan", next: ["end"])
        b.step("end")
        expectFindings(b.spec, [
            Expected(.deadEnd, b.name("spin"), "step 'spin' never reaches the last step 'end'"),
            Expected(.unreachableStep, b.name("orphan"), "step 'orphan' is never reached from the first step 'start'"),
        ])
    }

    @Test func moreThanOneLastStep() {
        var b = SpecBuilder(params: ["mode"])
        b.step("start", switchOn: "mode", cases: ["a": "stop", "b": "end"])
        b.step("stop")
        b.step("end")
        expectFindings(b.spec, [
            Expected(.lastStepCount, b.name("stop"),
                     "step 'stop' has neither 'next' nor 'switch', so the run would end there as well as at 'end'",
                     hint: "give 'stop' a 'next'; a flow has exactly one last step"),
        ])
    }

    @Test func noLastStep() {
        var b = SpecBuilder()
        b.step("start", outputs: "ok", switchOn: "ok", cases: ["x": "start"], maxIterations: 2)
        expectFindings(b.spec, [
            Expected(.lastStepCount, b.name("start"), "no step ends the run: every step has 'next' or 'switch'",
                     hint: "remove 'next' from the step that should end the run, usually 'start'"),
        ])
    }

    @Test func sameSuccessorTwice() {
        var b = SpecBuilder()
        b.step("start", next: ["end", "end"])
        b.step("end")
        let findings = expectFindings(b.spec, [
            Expected(.duplicateSuccessor, b.next("start", 1), "step 'start' lists 'end' twice in 'next'",
                     hint: "remove the second 'end'"),
        ])
        #expect(findings.first?.notes == [DiagnosticNote("'end' is first listed here", at: b.next("start", 0))])
    }

    @Test func branchesMeetingWithoutJoin() {
        var b = SpecBuilder()
        b.step("start", next: ["a", "b"])
        b.step("a", next: ["end"])
        b.step("b", next: ["end"])
        b.step("end")
        expectFindings(b.spec, [
            Expected(.missingJoin, b.name("end"),
                     "step 'end' is reached from different branches ('a' and 'b') but is not a join",
                     hint: "add 'join: true' to 'end'"),
        ])
    }

    /// A join at 'e' alone would merge the branches of 'start' and 'a' at once (FS0308): the
    /// hint closes the inner split first.
    @Test func branchesMeetingWithoutJoinFromDifferentDepths() {
        var b = SpecBuilder()
        b.step("start", next: ["a", "b"])
        b.step("a", next: ["c", "d"])
        b.step("c", next: ["e"])
        b.step("d", next: ["e"])
        b.step("b", next: ["e"])
        b.step("e", next: ["end"])
        b.step("end")
        expectFindings(b.spec, [
            Expected(.missingJoin, b.name("e"),
                     "step 'e' is reached from different branches ('c', 'd' and 'b') but is not a join",
                     hint: "close the branch at 'a' with a step with 'join: true' after 'c' and 'd'; then add 'join: true' to 'e'"),
        ])
    }

    @Test func joinThatClosesNothing() {
        var b = SpecBuilder()
        b.step("start", join: true, next: ["middle"])
        b.step("middle", join: true, next: ["end"])
        b.step("end")
        expectFindings(b.spec, [
            Expected(.joinClosesNothing, b.join("start"), "step 'start' has 'join: true' but no parent, so it closes nothing",
                     hint: "remove 'join: true' from 'start'"),
            Expected(.joinClosesNothing, b.join("middle"),
                     "step 'middle' has 'join: true' but no branch or foreach is open before it",
                     hint: "remove 'join: true' from 'middle'"),
        ])
    }

    @Test func joinInsideSwitchCasesClosesNothing() {
        var b = SpecBuilder(params: ["mode"])
        b.step("start", switchOn: "mode", cases: ["a": "left", "b": "right", "c": "other"])
        b.step("left", next: ["both"])
        b.step("right", next: ["both"])
        b.step("both", join: true, next: ["end"])
        b.step("other", next: ["end"])
        b.step("end")
        expectFindings(b.spec, [
            Expected(.joinClosesNothing, b.join("both"),
                     "step 'both' has 'join: true' but no branch or foreach is open before it",
                     hint: "remove 'join: true' from 'both'; the cases of the switch at 'start' converge without a join"),
        ])
    }

    @Test func crossingSplits() {
        var b = SpecBuilder()
        b.step("start", next: ["a", "b"])
        b.step("a", next: ["c", "d"])
        b.step("c", next: ["join"])
        b.step("d", next: ["join"])
        b.step("b", next: ["join"])
        b.step("join", join: true, next: ["end"])
        b.step("end")
        let findings = expectFindings(b.spec, [
            Expected(.crossingSplits, b.join("join"),
                     "join 'join' merges paths from splits that are not properly nested: the branch at 'start', the branch at 'a'",
                     hint: "close the branch at 'a' with a join of its own before 'join'; splits must nest like parentheses"),
        ])
        #expect(findings.first?.notes.map(\.span) == [b.name("start"), b.name("a")])
    }

    @Test func foreachJoinedTogetherWithItsBypass() {
        var b = SpecBuilder(params: ["mode", "items"])
        b.step("start", switchOn: "mode", cases: ["each": "each", "none": "join"])
        b.step("each", foreach: "items", next: ["join"])
        b.step("join", join: true, next: ["end"])
        b.step("end")
        expectFindings(b.spec, [
            Expected(.crossingSplits, b.join("join"),
                     "join 'join' merges paths from splits that are not properly nested: the foreach at 'each'"),
        ])
    }

    @Test func foreachNeedsExactlyOneParent() {
        var b = SpecBuilder(params: ["items"])
        b.step("start", foreach: "items", next: ["a", "b"])
        b.step("a", next: ["each"])
        b.step("b", next: ["each"])
        b.step("each", foreach: "items", next: ["done"])
        b.step("done", join: true, next: ["end"])
        b.step("end", join: true)
        expectFindings(b.spec, [
            Expected(.foreachParents, b.foreach("start"), "foreach step 'start' has no parent: the first step cannot fan out",
                     hint: "add a first step that produces 'items' and leads to 'start'"),
            Expected(.foreachParents, b.foreach("each"),
                     "foreach step 'each' has 2 parents ('a' and 'b'); a foreach step has exactly one",
                     hint: "add 'join: true' to 'each' to join its parents before it fans out"),
        ])
    }

    @Test func unclosedSplits() {
        var b = SpecBuilder()
        b.step("start", outputs: "items", next: ["each"])
        b.step("each", foreach: "items", next: ["end"])
        b.step("end")
        let findings = expectFindings(b.spec, [
            Expected(.unclosedSplit, b.foreach("each"), "the foreach opened at 'each' is never closed by a join",
                     hint: "add a step with 'join: true' between 'each' and 'end', or add 'join: true' to 'end'"),
        ])
        #expect(findings.first?.notes == [DiagnosticNote("the run ends at 'end' inside it", at: b.name("end"))])
    }

    @Test func unclosedBranchEndingInTwoPlaces() {
        var b = SpecBuilder()
        b.step("start", next: ["a", "end"])
        b.step("a")
        b.step("end")
        expectFindings(b.spec, [
            Expected(.lastStepCount, b.name("a"),
                     "step 'a' has neither 'next' nor 'switch', so the run would end there as well as at 'end'"),
            Expected(.unclosedSplit, b.name("start"), "the branch opened at 'start' is never closed by a join",
                     hint: "add a step with 'join: true' after 'a' and 'end'"),
        ])
    }

    @Test func branchThatMissesItsJoin() {
        var b = SpecBuilder()
        b.step("start", next: ["a", "b", "c"])
        b.step("a", next: ["join"])
        b.step("b", next: ["join"])
        b.step("join", join: true, next: ["end"])
        b.step("c", next: ["end"])
        b.step("end")
        let findings = expectFindings(b.spec, [
            Expected(.branchMissesJoin, b.next("start", 2), "branch 'c' of the split at 'start' never reaches its join 'join'",
                     hint: "lead branch 'c' to 'join': a join's parents are the last steps of every branch"),
        ])
        #expect(findings.first?.notes == [DiagnosticNote("'join' joins the other branches of 'start' here", at: b.join("join"))])
    }

    @Test func everyFindingInOnePass() {
        var b = SpecBuilder()
        b.step("start", outputs: "rows", next: ["a", "b", "a"])
        b.step("a", next: ["ende"])
        b.step("b", next: ["end"])
        b.step("end", args: ["r": "row"])
        let findings = expectFindings(b.spec, [
            Expected(.duplicateSuccessor, b.next("start", 2), "step 'start' lists 'a' twice in 'next'"),
            Expected(.unknownStep, b.next("a"), "step 'a' lists 'ende' in 'next', but no step is named 'ende'",
                     hint: "did you mean 'end'?"),
            Expected(.unclosedSplit, b.name("start"), "the branch opened at 'start' is never closed by a join",
                     hint: "add a step with 'join: true' after 'end'"),
            Expected(.unknownArgsArtifact, b.arg("end", "r"), "argument 'r' of step 'end' refers to 'row', which no earlier step produces",
                     hint: "did you mean 'rows' (produced by 'start')?"),
        ])
        #expect(findings.map(\.code.id) == ["FS0310", "FS0314", "FS0301", "FS0201"])
    }
}
