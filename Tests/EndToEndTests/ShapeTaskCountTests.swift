import FlowStore
import Foundation
import Testing

/// Every graph shape runs through the built binary to its end, with exactly the tasks worked
/// out here by hand for each step: the valid corpus (`specs/valid/`) and translations of the
/// graphs of Metaflow's own test suite (`Tests/Fixtures/metaflow-graphs/`).
@Suite struct ShapeTaskCountTests {
    struct Shape: CustomTestStringConvertible, Sendable {
        let spec: String
        var params: [String] = []
        /// Completed tasks per step; a step left out ran none.
        let tasks: [String: Int]

        var testDescription: String { ([spec] + params).joined(separator: " ") }
    }

    static let corpus: [Shape] = [
        Shape(spec: "specs/valid/branch.yaml", tasks: ones("start clean split fit_line fit_mean fit_median choose end")),
        Shape(spec: "specs/valid/branch_in_foreach.yaml",
              tasks: ones("start collect end").merging(["per_region": 4, "fit_line": 4, "fit_mean": 4, "compare": 4]) { $1 }),
        Shape(spec: "specs/valid/branch_in_loop.yaml",
              tasks: ones("start end").merging(["split": 3, "left": 3, "spin": 9, "settle": 3, "right": 3, "join": 3, "decide": 3]) { $1 }),
        Shape(spec: "specs/valid/branch_in_switch.yaml", tasks: ones("start fan left right both end")),
        Shape(spec: "specs/valid/branch_in_switch.yaml", params: ["mode=skip"], tasks: ones("start skip end")),
        Shape(spec: "specs/valid/foreach.yaml", tasks: ones("start clean split grid select end").merging(["fit": 5, "score": 5]) { $1 }),
        Shape(spec: "specs/valid/foreach_in_branch.yaml",
              tasks: ones("start clean split grid best_ridge baseline score_baseline choose end")
                  .merging(["fit_alpha": 3, "score_alpha": 3]) { $1 }),
        Shape(spec: "specs/valid/foreach_in_loop.yaml",
              tasks: ones("start zero end").merging(["fan": 3, "each": 6, "join": 3, "decide": 3]) { $1 }),
        Shape(spec: "specs/valid/foreach_in_switch.yaml", tasks: ones("start join end").merging(["each": 3]) { $1 }),
        Shape(spec: "specs/valid/foreach_in_switch.yaml", params: ["mode=skip"], tasks: ones("start skip end")),
        Shape(spec: "specs/valid/full.yaml",
              tasks: ones("start features split grid pick_alpha baseline score_baseline choose end")
                  .merging(["fit": 4, "evaluate_alpha": 4, "polish": 3, "route": 3]) { $1 }),
        Shape(spec: "specs/valid/linear.json", tasks: ones("start clean split train evaluate end")),
        Shape(spec: "specs/valid/linear.yaml", tasks: ones("start clean split train evaluate end")),
        Shape(spec: "specs/valid/loop_in_branch.yaml", tasks: ones("start left settle right join end").merging(["repeat": 3]) { $1 }),
        Shape(spec: "specs/valid/loop_in_foreach.yaml",
              tasks: ones("start join end").merging(["each": 3, "repeat": 6, "settle": 3]) { $1 }),
        Shape(spec: "specs/valid/loop_in_switch.yaml", tasks: ones("start zero end").merging(["spin": 3]) { $1 }),
        Shape(spec: "specs/valid/loop_in_switch.yaml", params: ["mode=skip"], tasks: ones("start skip end")),
        Shape(spec: "specs/valid/movies.yaml", tasks: ones("start combine end").merging(["per_genre": 12]) { $1 }),
        Shape(spec: "specs/valid/nested_branch.yaml",
              tasks: ones("start clean split lines fit_plain fit_ridge best_line baselines fit_mean fit_median best_baseline choose end")),
        Shape(spec: "specs/valid/nested_foreach.yaml",
              tasks: ones("start clean plan family_best end")
                  .merging(["per_family": 3, "per_alpha": 9, "per_fold": 27, "fold_mean": 9, "alpha_best": 3]) { $1 }),
        Shape(spec: "specs/valid/single_step.yaml", tasks: ones("start")),
        Shape(spec: "specs/valid/switch.yaml", tasks: ones("start clean profile split fit_plain evaluate end")),
        Shape(spec: "specs/valid/switch.yaml", params: ["n_rows=50"], tasks: ones("start clean profile split fit_baseline evaluate end")),
        Shape(spec: "specs/valid/switch_in_branch.yaml", tasks: ones("start a b d join end")),
        Shape(spec: "specs/valid/switch_in_branch.yaml", params: ["route=c"], tasks: ones("start a b c join end")),
        Shape(spec: "specs/valid/switch_in_foreach.yaml", tasks: ones("start join end").merging(["classify": 5, "odd": 3, "even": 2]) { $1 }),
        Shape(spec: "specs/valid/switch_in_nested_foreach.yaml",
              tasks: ones("start outer_join end").merging(["outer": 2, "inner": 4, "odd": 2, "even": 2, "inner_join": 2]) { $1 }),
        Shape(spec: "specs/valid/switch_loop.yaml",
              tasks: ones("start clean split init evaluate end").merging(["train_epoch": 21, "check": 21]) { $1 }),
    ]

    static let metaflowFolder = "Tests/Fixtures/metaflow-graphs"

    static let metaflow: [Shape] = [
        ("branch", [], ones("start a b join end")),
        ("branch_in_switch", [], ones("start process_branch p1 p2 process_join end")),
        ("branch_in_switch", ["mode=skip"], ones("start skip_path end")),
        ("foreach", [], ones("start foreach_split foreach_join end").merging(["foreach_inner_first": 3, "foreach_inner_second": 3]) { $1 }),
        ("foreach_in_switch", [], ones("start process_items join_work end").merging(["do_work": 2]) { $1 }),
        ("foreach_in_switch", ["mode=skip"], ones("start skip_processing end")),
        ("linear", [], ones("start a end")),
        ("nested_branches", [], ones("""
            start a b aa ab ba bb aaa aab aba abb baa bab bba bbb aaa_aab_join aba_abb_join baa_bab_join bba_bbb_join
            aa_ab_join ba_bb_join a_b_join end
            """)),
        ("nested_foreach", [], ones("start foreach_split_x foreach_join_x end").merging(
            ["foreach_split_y": 3, "foreach_split_z": 6, "foreach_inner": 36, "foreach_join_z": 6, "foreach_join_y": 3]) { $1 }),
        ("parallel", [], ones("start parallel_split parallel_join end").merging(["parallel_inner": 4]) { $1 }),
        ("recursive_switch", [], ones("start exit_loop end").merging(["loop_step": 3]) { $1 }),
        ("recursive_switch_inside_foreach", [], ones("start join end").merging(
            ["start_loop_for_item": 3, "loop_body": 6, "exit_item_loop": 3]) { $1 }),
        ("small_foreach", [], ones("start foreach_split foreach_join end").merging(["foreach_inner": 3]) { $1 }),
        ("switch_basic", [], ones("start switch_step b end")),
        ("switch_basic", ["condition=case3"], ones("start switch_step c end")),
        ("switch_in_branch", [], ones("start a b c join end")),
        ("switch_in_branch", ["condition=case2"], ones("start a b d join end")),
        ("switch_in_foreach", [], ones("start join end").merging(["process_item": 3, "handle_a": 2, "handle_b": 1]) { $1 }),
        ("switch_nested", [], ones("start switch2 d end")),
        ("switch_nested", ["condition1=case2"], ones("start b end")),
    ].map { Shape(spec: "\(metaflowFolder)/\($0.0).yaml", params: $0.1, tasks: $0.2) }

    private static func ones(_ steps: String) -> [String: Int] {
        Dictionary(uniqueKeysWithValues: steps.split(whereSeparator: \.isWhitespace).map { (String($0), 1) })
    }

    @Test func everySpecOfTheCorpusHasItsCounts() {
        let counted = Set(Self.corpus.map(\.spec))
        #expect(counted == Set(repositoryFiles(in: "specs/valid", extensions: ["yaml", "yml", "json"])))
    }

    @Test func everyMetaflowGraphHasItsCounts() {
        let counted = Set(Self.metaflow.map(\.spec))
        #expect(counted.count == 15, "Metaflow's test suite has 15 graphs")
        #expect(counted == Set(repositoryFiles(in: Self.metaflowFolder, extensions: ["yaml"])))
    }

    @Test(arguments: corpus + metaflow)
    func runsWithItsTaskCounts(shape: Shape) throws {
        let store = try scratchFolder("shape").appendingPathComponent("store")
        let outcome = try flowspec(["run", shape.spec, "--store", store.path] + shape.params.flatMap { ["-p", $0] })
        #expect(outcome.status == 0, "\(outcome.stderr)")
        let reader = try StoreReader(path: store.path)
        let run = try reader.run(try #require(outcome.stdout.split(separator: "\n").first.map(String.init)))
        #expect(run.status == .completed)
        let tasks = try reader.tasks(of: run.id)
        #expect(tasks.allSatisfy { $0.status == .completed }, "\(tasks.filter { $0.status != .completed })")
        let counts = Dictionary(grouping: tasks, by: \.step).mapValues(\.count)
        #expect(counts == shape.tasks)
    }
}
