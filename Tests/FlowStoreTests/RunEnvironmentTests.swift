import Testing
@testable import FlowStore

@Suite struct RunEnvironmentTests {
    @Test func environmentsReadBackInOrder() throws {
        let store = TemporaryStore()
        let writer = try StoreWriter(path: store.path)
        let run = try writer.beginRun(NewRun(flow: "Envs"))
        let built = RunEnvironmentRecord(
            kind: .requirements, location: "/s/envs/abc", hash: "abc", requirements: ["pyjokes==0.6.0"],
            pythonVersion: "3.11.7", pythonExecutable: "/s/envs/abc/bin/python3", packages: ["pyjokes": "0.6.0"],
            steps: ["jokes"], built: true, buildSeconds: 2.5)
        let plain = RunEnvironmentRecord(kind: .path, pythonVersion: "3.11.7", pythonExecutable: "/usr/bin/python3",
                                         steps: ["start", "end"])
        try writer.recordEnvironments(run: run, [plain, built])
        #expect(try StoreReader(path: store.path).environments(of: run) == [plain, built])
    }

    /// Stores made before `run_environments` existed read as runs without environments, and
    /// the next writer adds the table.
    @Test func anOlderStoreGainsTheTable() throws {
        let store = TemporaryStore()
        let writer = try StoreWriter(path: store.path)
        let run = try writer.beginRun(NewRun(flow: "Old"))
        try writer.database.execute("DROP TABLE run_environments")
        #expect(try StoreReader(path: store.path).environments(of: run).isEmpty)
        try StoreWriter(path: store.path).recordEnvironments(run: run, [RunEnvironmentRecord(kind: .path)])
        #expect(try StoreReader(path: store.path).environments(of: run).map(\.kind.rawValue) == ["path"])
    }
}
