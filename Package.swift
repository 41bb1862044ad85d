// swift-tools-version:6.1
import PackageDescription

// flowspec builds and runs on Linux only: it calls glibc directly and reads `/proc` (`syncfs`,
// `/proc/self/exe`, `/proc/meminfo`), so no other platform is claimed here.
let package = Package(
    name: "flowspec",
    products: [
        .executable(name: "flowspec", targets: ["flowspec"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        // `flowspec ui`'s HTTP server. Its default traits (swift-configuration, full Foundation)
        // are left out: the UI needs neither, and each costs build time.
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1", traits: []),
        .package(url: "https://github.com/apple/swift-log", from: "1.14.0"),
    ],
    targets: [
        // MARK: System libraries

        /// libyaml's C API: the event parser that gives every node a line and column.
        .systemLibrary(
            name: "CYAML", pkgConfig: "yaml-0.1",
            providers: [.apt(["libyaml-dev"])]),
        /// CPython's C API, with inline wrappers for the macros Swift cannot call.
        .systemLibrary(
            name: "CPython", pkgConfig: "python3-embed",
            providers: [.apt(["python3-dev"])]),
        /// SQLite's C API: the run metadata database.
        .systemLibrary(
            name: "CSQLite", pkgConfig: "sqlite3",
            providers: [.apt(["libsqlite3-dev"])]),

        // MARK: Spec language

        /// Diagnostics, source locations, durations, sizes and names: what every other module speaks.
        .target(name: "FlowBasics"),
        /// YAML/JSON text -> located node tree -> spec model, with every schema check.
        .target(name: "FlowSpec", dependencies: ["FlowBasics", "CYAML"]),
        /// The step graph, its graph and data-flow lint rules, and the immutable execution plan.
        .target(name: "FlowGraph", dependencies: ["FlowBasics", "FlowSpec"]),

        // MARK: Execution

        /// Content-addressed blobs and run/task records.
        .target(
            name: "FlowStore",
            dependencies: ["FlowBasics", "CSQLite"]),
        /// The worker protocol (specs/worker-protocol.md): its framing and its messages, each
        /// direction written one way and read one way.
        .target(name: "WorkerProtocol", dependencies: ["FlowBasics"]),
        /// The embedded interpreter: lifecycle, GIL, object ownership, pickling.
        .target(name: "PythonBridge", dependencies: ["CPython"]),
        /// The scheduler and the `TaskExecutor` seam it hands tasks through; params.
        .target(name: "FlowRuntime", dependencies: ["FlowBasics", "FlowSpec", "FlowGraph"]),
        /// The executor of this machine: worker pools, process spawning, Python environments.
        .target(
            name: "LocalExecution",
            dependencies: ["FlowRuntime", "FlowBasics", "FlowGraph", "WorkerProtocol"]),
        /// The Slurm cluster as an executor needs it: sbatch, squeue and scancel, job states read
        /// into failure reasons, and the shared-storage check, and the executor that runs tasks as jobs.
        .target(name: "SlurmExecution", dependencies: ["FlowBasics", "FlowRuntime", "WorkerProtocol"]),

        // MARK: Engine

        /// One run of a flow outside the command line: the run and its store records, resume, and
        /// the check of the steps' Python.
        .target(
            name: "FlowEngine",
            dependencies: ["FlowBasics", "FlowSpec", "FlowGraph", "FlowStore", "FlowRuntime", "LocalExecution", "SlurmExecution",
                           "WorkerProtocol"]),

        // MARK: Looking at runs

        /// What a person sees of a run, as HTML and SVG: pure functions from store records to
        /// markup, shared by `flowspec report` and `flowspec ui`.
        .target(name: "FlowReport", dependencies: ["FlowBasics", "FlowSpec", "FlowGraph", "FlowStore"]),
        /// Previews of stored values, made by Python workers in the values' own environments and
        /// cached in the store.
        .target(name: "FlowPreviews", dependencies: ["FlowBasics", "FlowStore", "LocalExecution", "WorkerProtocol"]),
        /// `flowspec ui`: FlowReport's pages served over HTTP from the store, read-only.
        .target(
            name: "FlowUI",
            dependencies: [
                "FlowBasics", "FlowStore", "FlowReport", "FlowPreviews",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
            ]),

        // MARK: Command line

        /// One file per `flowspec` subcommand.
        .target(
            name: "FlowCommands",
            dependencies: [
                "FlowBasics", "FlowSpec", "FlowGraph", "FlowStore", "FlowRuntime", "LocalExecution", "SlurmExecution", "FlowEngine",
                "FlowReport", "FlowUI", "FlowPreviews", "PythonBridge", "WorkerProtocol",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]),
        /// The `flowspec` executable: a thin entry point over FlowCommands. Release builds link
        /// the Swift runtime statically: every command and every worker starts ~10 ms sooner
        /// without loading and relocating a dozen shared libraries.
        .executableTarget(
            name: "flowspec", dependencies: ["FlowCommands"],
            linkerSettings: [
                // FoundationEssentials' static archive needs its two helper archives named.
                .unsafeFlags(
                    ["-static-stdlib", "-Xlinker", "-l_FoundationCShims", "-Xlinker", "-l_FoundationCollections"],
                    .when(configuration: .release)),
            ]),

        // MARK: Tests

        .testTarget(name: "FlowBasicsTests", dependencies: ["FlowBasics"]),
        .testTarget(name: "FlowSpecTests", dependencies: ["FlowSpec", "FlowBasics"]),
        .testTarget(name: "FlowGraphTests", dependencies: ["FlowGraph", "FlowSpec", "FlowBasics"]),
        .testTarget(name: "FlowRuntimeTests", dependencies: ["FlowRuntime", "FlowGraph", "FlowSpec", "FlowBasics"]),
        .testTarget(name: "FlowStoreTests", dependencies: ["FlowStore", "FlowBasics"]),
        /// FlowReport's pages, and FlowUI's handlers that serve them.
        .testTarget(name: "FlowReportTests", dependencies: ["FlowReport", "FlowUI", "FlowPreviews", "FlowStore", "FlowBasics"]),
        .testTarget(name: "PythonBridgeTests", dependencies: ["PythonBridge"]),
        .testTarget(name: "WorkerProtocolTests", dependencies: ["WorkerProtocol", "FlowBasics"]),
        .testTarget(
            name: "FlowEngineTests",
            dependencies: ["FlowEngine", "FlowRuntime", "LocalExecution", "FlowStore", "FlowGraph", "FlowSpec", "FlowBasics", "WorkerProtocol"]),
        .testTarget(
            name: "WorkerTests",
            dependencies: ["LocalExecution", "FlowRuntime", "FlowBasics", "WorkerProtocol", "FlowPreviews", "FlowStore", "flowspec"]),
        .testTarget(name: "SlurmExecutionTests", dependencies: ["SlurmExecution", "FlowRuntime", "FlowBasics"]),
        .testTarget(name: "EndToEndTests", dependencies: ["flowspec", "FlowSpec", "FlowStore"]),
    ]
)

// Every module's folder opens with a README.md saying what the module is for: not a source file.
for target in package.targets where target.type == .regular || target.type == .executable {
    target.exclude.append("README.md")
}
