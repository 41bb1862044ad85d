import FlowStore
import Foundation
import Testing

/// A notebook written the way scikit-learn's examples are (magics, plots, `%` formatting
/// continued inside brackets), run and checked through the built binary.
@Suite struct NotebookLoadingTests {
    static let cells: [(kind: String, source: String)] = [
        ("markdown", "# Cross-validation folds\n\nHow the folds of a shuffled split spread."),
        ("code", "%matplotlib inline\nimport numpy as np\nimport matplotlib.pyplot as plt\n\nN_SPLITS = 4\nSEED = 1338"),
        ("code", """
            rng = np.random.RandomState(SEED)
            X = rng.randn(100, 2)
            print("Training on %d points in %d folds"
                  % (X.shape[0], N_SPLITS))
            """),
        ("code", """
            def make_data(n_points=100):
                rng = np.random.RandomState(SEED)
                return rng.randn(n_points).tolist()


            def summarize(values):
                folds = [values[i::N_SPLITS] for i in range(N_SPLITS)]
                means = [float(np.mean(fold)) for fold in folds]
                label = ("%d folds, spread %.3f"
                         % (len(folds), max(means) - min(means)))
                return {"label": label, "means": means}
            """),
        ("code", "fig, ax = plt.subplots()\nax.plot(make_data())\nplt.show()"),
        ("code", "!pip install scikit-learn\n%timeit make_data()"),
        ("code", """
            CLIP = float(np.percentile(make_data(), 90))


            def clipped(values):
                return [min(value, CLIP) for value in values]
            """),
    ]

    private static func folder() throws -> URL {
        let folder = try scratchFolder("notebook")
        let notebook: [String: Any] = [
            "nbformat": 4, "nbformat_minor": 5, "metadata": ["kernelspec": ["name": "python3", "language": "python"]],
            "cells": cells.map { cell -> [String: Any] in
                var raw: [String: Any] = ["cell_type": cell.kind, "metadata": [:] as [String: Any],
                                          "source": cell.source.split(separator: "\n", omittingEmptySubsequences: false).map { $0 + "\n" }]
                if cell.kind == "code" { raw["outputs"] = [] as [Any]; raw["execution_count"] = NSNull() }
                return raw
            },
        ]
        try JSONSerialization.data(withJSONObject: notebook, options: [.prettyPrinted])
            .write(to: folder.appendingPathComponent("folds.ipynb"))
        try """
            flowspec: 1
            name: Folds
            steps:
              start: {run: folds.ipynb:make_data, outputs: values, next: end}
              end: {run: folds.ipynb:summarize, outputs: summary}
            """.write(to: folder.appendingPathComponent("flow.yaml"), atomically: true, encoding: .utf8)
        try """
            flowspec: 1
            name: Clipped
            steps:
              start: {run: folds.ipynb:make_data, outputs: values, next: end}
              end: {run: folds.ipynb:clipped}
            """.write(to: folder.appendingPathComponent("clip.yaml"), atomically: true, encoding: .utf8)
        return folder
    }

    @Test func aPercentContinuingABracketIsModuloAndTheNotebookRuns() throws {
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let lint = try flowspec(["lint", "--deep", "flow.yaml"], in: folder)
        #expect(lint.status == 0 && lint.stdout == "flow.yaml: ok, 2 steps\n", "\(lint.stdout)\(lint.stderr)")
        let run = try flowspec(["run", "flow.yaml", "--store", "st"], in: folder)
        #expect(run.status == 0, "\(run.stderr)")
        let reader = try StoreReader(path: folder.appendingPathComponent("st").path)
        let id = try #require(run.stdout.split(separator: "\n").first.map(String.init))
        let summary = try #require(try reader.runArtifacts(of: try reader.run(id).id)?["summary"]?.value.repr)
        #expect(summary.hasPrefix("{'label': '4 folds, spread "), "\(summary)")
    }

    @Test func aNameOnlyASkippedAssignmentBindsIsAWarningThenAnErrorSayingWhy() throws {
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let lint = try flowspec(["lint", "--deep", "clip.yaml"], in: folder)
        #expect(lint.status == 0, "a warning: \(lint.stdout)\(lint.stderr)")
        #expect(lint.stdout.contains("clip.yaml:5:14: warning[FS0405]: step 'end': 'clipped' uses 'CLIP', which is not defined "
            + "when the notebook is loaded: cell 7, line 1 assigns 'CLIP', but loading a notebook skips that statement because "
            + "its value is not a literal"), "\(lint.stdout)")
        let run = try flowspec(["run", "clip.yaml", "--store", "st"], in: folder)
        #expect(run.status == 1)
        #expect(run.stderr.contains("warning[FS0405]"), "the run's check warns first: \(run.stderr)")
        #expect(run.stderr.contains("✗ task end failed: NameError: name 'CLIP' is not defined; cell 7, line 1 assigns 'CLIP'"),
                "\(run.stderr)")
        #expect(run.stderr.contains("compute 'CLIP' inside the function that uses it"))
    }
}
