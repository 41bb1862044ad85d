import FlowBasics
import FlowSpec
import Testing

@Suite struct SpecReaderTests {
    @Test func readsTheSpecExample() throws {
        let loaded = expectFindings("""
            flowspec: 1
            name: MovieStats
            params:
              genre: {type: str, default: Sci-Fi, help: Genre to report}
              top:   {type: int, default: 5, choices: [5, 10]}
              data:  {type: file, default: data/movies.csv, binary: true}
            defaults: {retry: {times: 2, delay: 5s, backoff: 2.0, max_delay: 5m, jitter: true}, timeout: 10m}
            steps:
              start: {run: movies.py:load, outputs: [movies, genres], next: per_genre}
              per_genre: {foreach: genres, run: movies.py:stats, args: {genre: item, first: 'rows[0]', k: 'cfg["a b"]'}, outputs: stats, next: combine}
              combine: {join: true, run: pkg.mod:Class.method, outputs: "*", next: end}
              end:
            """, [])
        let spec = try #require(loaded.spec)
        #expect(spec.name?.value == "MovieStats")
        #expect(spec.params.map(\.name.value) == ["genre", "top", "data"])
        #expect(spec.params[2].kind == .file && spec.params[2].binary)
        #expect(spec.defaults.retry?.value == {
            var policy = RetryPolicy(times: 2)
            policy.delay = Duration(seconds: 5); policy.backoff = 2; policy.maxDelay = Duration(seconds: 300); policy.jitter = true
            return policy
        }())
        #expect(spec.defaults.timeout?.value.seconds == 600)
        #expect(spec.steps.map(\.name.value) == ["start", "per_genre", "combine", "end"])
        let perGenre = spec.steps[1]
        #expect(perGenre.foreach?.value == Reference(head: "genres"))
        #expect(perGenre.args.map(\.reference.value.description) == ["item", "rows[0]", "cfg[\"a b\"]"])
        #expect(spec.steps[2].run?.value == RunTarget(source: .module("pkg.mod"), function: "Class.method"))
        #expect(spec.steps[2].isJoin)
        #expect(spec.steps[3].isLast && spec.steps[3].run == nil)
    }

    @Test func reportsUnknownKeysWithTheNearestName() throws {
        let loaded = expectFindings(spec(steps: "  start: {run: 'a:b', foreahc: x, outptus: y}", extra: "descripton: x\n"), [
            Expected(.unknownKey, 3, 1), Expected(.unknownKey, 5, 23), Expected(.unknownKey, 5, 35),
        ])
        #expect(loaded.diagnostics.sorted().map(\.hint) == ["did you mean 'description'?", "did you mean 'foreach'?", "did you mean 'outputs'?"])
    }

    @Test func readsAStepsReportNamesEachOnce() throws {
        let loaded = expectFindings(spec(steps: "  start: {run: 'a:b', outputs: [x, y], report: [y, x, y]}"), [])
        #expect(try #require(loaded.spec).steps[0].report.map(\.value) == ["y", "x"])
        expectFindings(spec(steps: "  start: {run: 'a:b', report: y}"), [Expected(.wrongType, 4, 31)])
        expectFindings(spec(steps: "  start: {run: 'a:b', report: []}"), [Expected(.wrongType, 4, 31)])
        expectFindings(spec(steps: "  start: {run: 'a:b', report: [9x]}"), [Expected(.invalidName, 4, 32)])
        expectFindings(spec(extra: "defaults: {report: [x]}\n"), [Expected(.notADefault, 3, 12)])
    }

    @Test func reportsMissingRequiredKeysAtTheTop() {
        expectFindings("description: nothing else\n", [
            Expected(.missingKey, 1, 1), Expected(.missingKey, 1, 1), Expected(.missingKey, 1, 1),
        ])
    }

    @Test func checksTheVersionAndNames() {
        expectFindings("flowspec: 2\nname: my-flow\nsteps:\n  9lives: {run: 'a:b'}\n", [
            Expected(.unsupportedVersion, 1, 11), Expected(.invalidName, 2, 7), Expected(.invalidName, 4, 3),
        ])
        expectFindings("flowspec: '1'\nname: A\nsteps: {s: {}}\n", [Expected(.wrongType, 1, 11)])
    }

    @Test func checksWrongTypes() {
        expectFindings(spec(steps: "  start: {run: 3, join: yes, cache: 1, next: [], args: [a]}"), [
            Expected(.wrongType, 4, 16), Expected(.wrongType, 4, 25), Expected(.wrongType, 4, 37),
            Expected(.wrongType, 4, 46), Expected(.wrongType, 4, 56),
        ])
        expectFindings("flowspec: 1\nname: A\nsteps: [start]\n", [Expected(.wrongType, 3, 8)])
        expectFindings(spec(steps: ""), [Expected(.wrongType, 3, 7)])
    }

    @Test func checksDurationsSizesAndRanges() {
        expectFindings(spec(steps: "  start: {run: 'a:b', timeout: 90, retry: -1, concurrency: 0, max_iterations: 2.5}"), [
            Expected(.invalidDuration, 4, 32), Expected(.outOfRange, 4, 43), Expected(.outOfRange, 4, 60),
            Expected(.wrongType, 4, 79),
        ])
        expectFindings(spec(steps: "  start: {run: 'a:b', resources: {cpu: -1, memory: 4GB, gpu: 1}}"), [
            Expected(.outOfRange, 4, 40), Expected(.invalidSize, 4, 52),
        ])
        expectFindings(spec(steps: "  start: {run: 'a:b', resources: {cpu: 0.5, memory: 512, gpu: 0}, timeout: 1.5h}"), [])
    }

    @Test(arguments: ["steps.py", "steps.py:", "a/b:c", "my-mod:f", ":f", "nb.ipynb:1f"])
    func refusesMalformedRunTargets(target: String) {
        expectFindings(spec(steps: "  start: {run: '\(target)'}"), [Expected(.invalidRunTarget, 4, 16)])
    }

    @Test(arguments: ["pkg.mod:f", "sub/steps.py:f", "../nb.ipynb:feature", "mod:Class.method"])
    func acceptsEachFormOfRunTarget(target: String) {
        expectFindings(spec(steps: "  start: {run: '\(target)'}"), [])
    }

    @Test(arguments: ["x[0", "x.", "1x", "x[a]", "x y", "x[\"k]"])
    func refusesMalformedReferences(reference: String) {
        let quoted = "'" + reference.replacingOccurrences(of: "'", with: "''") + "'"
        expectFindings(spec(steps: "  start: {run: 'a:b', foreach: \(quoted)}"), [Expected(.invalidReference, 4, 32)])
    }

    @Test func checksParams() {
        expectFindings(spec(extra: """
            params:
              a: {type: integer}
              b: {type: int, default: "5"}
              c: {type: str, default: x, choices: [y, z]}
              d: {type: str, binary: true}
              e: {type: int, choices: [1, two]}
              f: 5
              g: {type: float, default: 1, help: ok}
              h: {type: json, default: {a: [1]}}

            """), [
                Expected(.unknownParamType, 4, 13), Expected(.badParamDefault, 5, 27), Expected(.badChoices, 6, 27),
                Expected(.binaryNotFile, 7, 18), Expected(.badChoices, 8, 31), Expected(.wrongType, 9, 6),
            ])
    }

    @Test func checksOutputs() {
        expectFindings(spec(steps: "  start: {run: 'a:b', outputs: [a, item, a]}\n  s2: {run: 'a:b', outputs: []}\n  s3: {run: 'a:b', outputs: 'x-y'}"), [
            Expected(.badOutputName, 4, 36), Expected(.badOutputName, 4, 42), Expected(.badOutputName, 5, 29),
            Expected(.invalidName, 6, 29),
        ])
    }

    @Test func checksExclusiveKeysAndDoubleBindings() {
        expectFindings(spec(steps: """
              start:
                run: 'a:b'
                with: {x: 1}
                args: {x: y}
                next: end
                switch: {on: y, cases: {a: end}}
                python: {requirements: [numpy], venv: .venv}
              end: {}
            """), [Expected(.boundTwice, 7, 12), Expected(.conflictingKeys, 9, 5), Expected(.conflictingKeys, 10, 37)])
    }

    @Test func checksTheSwitch() throws {
        let loaded = expectFindings(spec(steps: "  start: {run: 'a:b', switch: {on: kind, cases: {true: a, 1: b, x: c}, default: d, otherwise: e}}"),
                                    [Expected(.unknownKey, 4, 84)])
        let cases = try #require(loaded.spec?.steps.first?.switchOn?.cases)
        #expect(cases.map(\.target.value) == ["a", "b", "c"])
        #expect(cases.map { $0.value.kindDescription } == ["a boolean", "an integer", "a string"])
        expectFindings(spec(steps: "  start: {run: 'a:b', switch: {cases: {}}}"), [Expected(.wrongType, 4, 39), Expected(.missingKey, 4, 31)])
    }

    @Test func checksTheExecutorAndSlurmSettings() {
        expectFindings(spec(steps: "  start: {run: 'a:b', executor: cloud, slurm: {partition: 3, extra: x, pilots: 0, pilot: 2}}"), [
            Expected(.badChoices, 4, 33), Expected(.wrongType, 4, 59), Expected(.wrongType, 4, 69), Expected(.outOfRange, 4, 80),
            Expected(.unknownKey, 4, 83),
        ])
        expectFindings(spec(extra: "defaults: {executor: slurm, slurm: {extra: [--exclusive, 7]}}\n"), [Expected(.wrongType, 3, 58)])
        expectFindings(spec(steps: "  start: {run: 'a:b', executor: local, slurm: {partition: debug, account: a, qos: q, constraint: c}}"), [])
    }

    @Test func checksDefaults() {
        expectFindings(spec(extra: "defaults: {retry: 1, run: 'a:b', next: x, retyr: 2}\n"), [
            Expected(.notADefault, 3, 22), Expected(.notADefault, 3, 34), Expected(.unknownKey, 3, 43),
        ])
    }

    @Test func checksEnvironmentVariables() {
        expectFindings(spec(extra: "env: {A: '${HOME}/x', B: 1, 2C: x, D: '${E', F: '$${G}', H: '${9}', I: [x]}\n"), [
            Expected(.invalidEnvName, 3, 29), Expected(.badExpansion, 3, 39), Expected(.badExpansion, 3, 61),
            Expected(.wrongType, 3, 72),
        ])
    }

    @Test func reportsEveryProblemInOnePass() {
        let loaded = SpecLoader.load(text: """
            flowspec: 1
            name: bad name
            steps:
              start: {run: nope, timeout: soon, retry: {times: -1}}
              other: {run: 'a:b', catch: 'x y'}
            """, file: "many.yaml")
        #expect(loaded.diagnostics.count == 5)
    }
}
