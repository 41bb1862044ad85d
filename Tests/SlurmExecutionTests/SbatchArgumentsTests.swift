import Testing
@testable import SlurmExecution

/// A step's `resources`, `timeout` and `slurm` options become the sbatch options of docs/spec.md
/// section 9.
@Suite struct SbatchArgumentsTests {
    private func arguments(_ resources: JobResources = JobResources(), _ options: SlurmOptions = SlurmOptions())
        -> [String]
    {
        JobRequest(command: ["flowspec", "task"], name: "train", resources: resources, options: options).sbatchArguments
    }

    @Test func resourcesMapToTheirOptions() {
        let given = arguments(JobResources(cpu: 2, memory: 3 << 30, gpu: 1, timeout: 90))
        #expect(given.contains("--cpus-per-task=2"))
        #expect(given.contains("--mem=3072M"))
        #expect(given.contains("--gres=gpu:1"))
        #expect(given.contains("--time=2"))
    }

    @Test func roundingIsUpward() {
        let given = arguments(JobResources(cpu: 0.5, memory: (1 << 20) + 1, timeout: 60))
        #expect(given.contains("--cpus-per-task=1"))
        #expect(given.contains("--mem=2M"))
        #expect(given.contains("--time=1"))
        #expect(JobResources(timeout: 0.2).timeLimitMinutes == 1)
        #expect(JobResources(timeout: 60.5).timeLimitMinutes == 2)
    }

    @Test func unsaidResourcesAreLeftToTheCluster() {
        let given = arguments()
        #expect(!given.contains { $0.hasPrefix("--mem") || $0.hasPrefix("--gres") || $0.hasPrefix("--time") })
        #expect(given.contains("--cpus-per-task=1"))
    }

    @Test func optionsMapToTheirNamesAndExtraComesLast() {
        let options = SlurmOptions(partition: "gpu", account: "lab", qos: "high", constraint: "a100",
                                   extra: ["--exclusive", "--comment=x"])
        let given = arguments(JobResources(), options)
        for expected in ["--partition=gpu", "--account=lab", "--qos=high", "--constraint=a100"] {
            #expect(given.contains(expected))
        }
        #expect(Array(given.suffix(3).prefix(2)) == ["--exclusive", "--comment=x"])
    }

    @Test func theJobNeverRequeuesAndPrintsOnlyItsID() {
        let given = arguments()
        #expect(given.prefix(3) == ["sbatch", "--parsable", "--no-requeue"])
        #expect(given.contains("--job-name=train"))
    }

    @Test func theCommandIsQuotedForTheShell() {
        let job = JobRequest(command: ["/opt/flow spec/flowspec", "task", "it's", "", "a;b"], name: "x")
        #expect(job.sbatchArguments.last == #"--wrap=exec '/opt/flow spec/flowspec' task 'it'\''s' '' 'a;b'"#)
    }
}
