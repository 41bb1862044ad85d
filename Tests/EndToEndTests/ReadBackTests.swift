import Foundation
import Testing

/// Values whose class a step's own code defines (a `.py` file, a notebook, a module target)
/// read back with `get`, `get -o`, `inspect` and the Python client from folders other than the
/// spec's: the store's code snapshot provides the modules a worker made.
@Suite struct ReadBackTests {
    static let model = """
        class Model:
            def __init__(self, weight):
                self.weight = weight

            def __repr__(self):
                return f"Model(weight={self.weight})"


        def train():
            return Model(7)
        """

    /// A spec in `PROJECT/proj/` whose `start` runs `target`, run from `PROJECT/`; then a
    /// reading folder `PROJECT/elsewhere/`.
    struct Project {
        let root: URL
        var spec: URL { root.appendingPathComponent("proj") }
        var elsewhere: URL { root.appendingPathComponent("elsewhere") }
        var store: String { root.appendingPathComponent("store").path }

        init(target: String, python: String = "", files: [String: String]) throws {
            root = try scratchFolder("readback")
            for (path, text) in files {
                let url = root.appendingPathComponent("proj").appendingPathComponent(path)
                try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
                try text.write(to: url, atomically: true, encoding: .utf8)
            }
            try "flowspec: 1\nname: ReadBack\n\(python)steps:\n  start: {run: \(target), outputs: model, next: end}\n  end: {}\n"
                .write(to: spec.appendingPathComponent("flow.yaml"), atomically: true, encoding: .utf8)
            try FileManager.default.createDirectory(at: elsewhere, withIntermediateDirectories: true)
            let outcome = try flowspec(["run", "proj/flow.yaml", "--store", store], in: root)
            #expect(outcome.status == 0, "\(outcome.stderr)")
        }

        func reading(_ arguments: [String]) throws -> Outcome {
            try flowspec(arguments + ["--store", store], in: elsewhere)
        }

        /// `python3 -c code` in `folder`, with `PYTHONPATH` set to `path`.
        func python(_ code: String, in folder: URL, path: [String]) throws -> Outcome {
            try runProgram(["/usr/bin/env", "python3", "-c", code], in: folder,
                           env: ["PYTHONPATH": path.joined(separator: ":")])
        }

        /// Every reader, each from a folder that is not the spec's. `modulePath` is what a plain
        /// `pickle.load` of `get -o`'s file needs on its path; `type` is the class as readers name it.
        func expectEveryReaderLoads(modulePath: String, type: String) throws {
            let get = try reading(["get", "latest/model"])
            #expect(get.status == 0 && get.stdout == "Model(weight=7)\n", "\(get.stderr)")

            let inspect = try reading(["inspect", "latest/start", "--json"])
            #expect(inspect.status == 0 && inspect.stdout.contains("Model(weight=7)"), "\(inspect.stderr)")
            #expect(inspect.stdout.contains(#""type" : "\#(type)""#), "\(inspect.stdout)")

            let dumped = try reading(["get", "latest/model", "-o", "model.pkl"])
            #expect(dumped.status == 0 && dumped.stderr.contains("wrote 'model' (\(type))"), "\(dumped.stderr)")
            let fresh = try scratchFolder("readback-load")
            let load = try python("import pickle; print(pickle.load(open(\(String(reflecting: elsewhere.appendingPathComponent("model.pkl").path)), 'rb')))",
                                  in: fresh, path: [modulePath])
            #expect(load.status == 0 && load.stdout == "Model(weight=7)\n", "\(load.stderr)")

            let client = try python("from flowspec import Flow; run = Flow('ReadBack', store=\(String(reflecting: store))).latest_run; "
                                    + "print(run.data.model, run['start'].task.data.model.weight)",
                                    in: elsewhere, path: [repositoryRoot.appendingPathComponent("python").path])
            #expect(client.status == 0 && client.stdout == "Model(weight=7) 7\n", "\(client.stderr)")
        }
    }

    @Test func aClassOfTheStepsFile() throws {
        let project = try Project(target: "model.py:train", files: ["model.py": Self.model])
        try project.expectEveryReaderLoads(modulePath: project.spec.path, type: "model.Model")
    }

    /// A notebook's plain pickle needs a module named after it, such as the notebook exported
    /// as a script (`jupyter nbconvert --to script features.ipynb`), which this writes itself.
    @Test func aClassOfANotebook() throws {
        let cell = try String(data: JSONSerialization.data(withJSONObject: [Self.model]), encoding: .utf8)!
        let notebook = """
            {"cells": [{"cell_type": "code", "metadata": {}, "source": \(cell), "outputs": [], "execution_count": 1},
                       {"cell_type": "code", "metadata": {}, "source": ["train()"], "outputs": [], "execution_count": 2}],
             "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
            """
        let project = try Project(target: "features.ipynb:train", files: ["features.ipynb": notebook])
        let exported = try scratchFolder("readback-exported")
        try Self.model.write(to: exported.appendingPathComponent("features.py"), atomically: true, encoding: .utf8)
        try project.expectEveryReaderLoads(modulePath: exported.path, type: "features.Model")
    }

    /// `run: models.linear:train` found through an import root; the package's `__init__.py`
    /// comes from the snapshot too.
    @Test func aClassOfAModuleTargetInAnImportRoot() throws {
        let project = try Project(target: "models.linear:train", python: "python: {path: [src]}\n",
                                  files: ["src/models/__init__.py": "", "src/models/linear.py": Self.model])
        try project.expectEveryReaderLoads(modulePath: project.spec.appendingPathComponent("src").path, type: "models.linear.Model")
    }

    /// A worker that never loaded `model.py` reads items of its class (from the snapshot), and
    /// one that then loads the file itself keeps one class for both.
    @Test func workersReadValuesOfAFileTheyNeverLoaded() throws {
        let steps = Self.model + """


            def make():
                return [Model(w) for w in range(1, 7)]

            def check(values, models):
                return sum(values) if all(isinstance(m, Model) for m in models) else -1
            """
        let project = try Project(target: "model.py:make", files: ["model.py": steps, "use.py": "def per(item):\n    return item.weight * 10\n"])
        try """
            flowspec: 1
            name: Items
            steps:
              start: {run: model.py:make, outputs: models, next: per}
              per: {foreach: models, run: use.py:per, args: {item: item}, outputs: value, next: join}
              join: {join: true, run: model.py:check, args: {values: inputs.value}, outputs: total, next: end}
              end: {}
            """.write(to: project.spec.appendingPathComponent("items.yaml"), atomically: true, encoding: .utf8)
        for _ in 0..<3 {
            let outcome = try flowspec(["run", "proj/items.yaml", "--max-workers", "2", "--store", project.store], in: project.root)
            #expect(outcome.status == 0, "\(outcome.stderr)")
            #expect(try project.reading(["get", "Items/latest/total"]).stdout == "210\n")
        }
    }

    /// A resumed run reads the values it reused with the code they were made with, though the
    /// file changed since: its workers and its readers follow the run it resumed.
    @Test func aResumeReadsReusedValuesWithTheirOwnCode() throws {
        let show = "import os\n\ndef show(model):\n    if not os.path.exists(os.path.join(os.path.dirname(__file__), 'fixed')):\n"
            + "        raise ValueError('not yet')\n    return repr(model)\n"
        let project = try Project(target: "model.py:train", files: ["model.py": Self.model, "show.py": show])
        let spec = project.spec.appendingPathComponent("resumed.yaml")
        try "flowspec: 1\nname: Resumed\nsteps:\n  start: {run: model.py:train, outputs: model, next: end}\n  end: {run: show.py:show, outputs: shown}\n"
            .write(to: spec, atomically: true, encoding: .utf8)
        let failed = try flowspec(["run", "proj/resumed.yaml", "--store", project.store], in: project.root)
        #expect(failed.status == 1, "\(failed.stderr)")
        try (Self.model + "\n\n# edited after the run\n").write(to: project.spec.appendingPathComponent("model.py"), atomically: true, encoding: .utf8)
        try "".write(to: project.spec.appendingPathComponent("fixed"), atomically: true, encoding: .utf8)
        let resumed = try flowspec(["resume", "proj/resumed.yaml", "--store", project.store], in: project.root)
        #expect(resumed.status == 0, "\(resumed.stderr)")
        #expect(try project.reading(["get", "Resumed/latest/shown"]).stdout == "'Model(weight=7)'\n")
        let model = try project.reading(["get", "Resumed/latest/model"])
        #expect(model.stdout == "Model(weight=7)\n", "\(model.stderr)")
        let client = try project.python("from flowspec import Flow; print(Flow('Resumed', store=\(String(reflecting: project.store))).latest_run.data.model)",
                                        in: project.elsewhere, path: [repositoryRoot.appendingPathComponent("python").path])
        #expect(client.stdout == "Model(weight=7)\n", "\(client.stderr)")
    }

    /// The snapshot is what the value was made with: editing the file after the run changes
    /// nothing a reader sees.
    @Test func theSnapshotWinsOverAnEditedFile() throws {
        let project = try Project(target: "model.py:train", files: ["model.py": Self.model])
        try Self.model.replacingOccurrences(of: "Model(weight=", with: "Edited(weight=")
            .write(to: project.spec.appendingPathComponent("model.py"), atomically: true, encoding: .utf8)
        let get = try project.reading(["get", "latest/model"])
        #expect(get.stdout == "Model(weight=7)\n", "\(get.stderr)")
    }

    /// An exception class of the step's file is named after the file, as readers know it, in
    /// the caught error's `type` and in the failure `inspect` shows.
    @Test func anErrorClassOfTheStepsFileIsNamedAfterIt() throws {
        let folder = try scratchFolder("readback-error")
        try "class Offline(ConnectionError):\n    pass\n\ndef fetch():\n    raise Offline('no network')\n\ndef report(fetch_error):\n    return fetch_error['type']\n"
            .write(to: folder.appendingPathComponent("steps.py"), atomically: true, encoding: .utf8)
        try "flowspec: 1\nname: Caught\nsteps:\n  start: {run: steps.py:fetch, catch: fetch_error, next: end}\n  end: {run: steps.py:report, outputs: shown}\n"
            .write(to: folder.appendingPathComponent("c.yaml"), atomically: true, encoding: .utf8)
        #expect(try flowspec(["run", "c.yaml", "--store", "st"], in: folder).status == 0)
        #expect(try flowspec(["get", "latest/shown", "--store", "st"], in: folder).stdout == "'steps.Offline'\n")
        let inspected = try flowspec(["inspect", "latest/start", "--store", "st"], in: folder)
        #expect(inspected.stdout.contains("steps.Offline: no network"), "\(inspected.stdout)")
    }
}
