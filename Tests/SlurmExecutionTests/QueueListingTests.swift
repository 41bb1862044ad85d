import Testing
@testable import SlurmExecution

/// squeue's answer for many jobs at once, read from what a real cluster printed.
@Suite struct QueueListingTests {
    @Test func theFormatIsTheOneTheFixturesWereCapturedWith() throws {
        #expect(QueueListing.format + "\n" == (try Fixtures.text("squeue-format.txt")))
    }

    @Test func oneCallAsksForEveryJob() {
        let arguments = QueueListing.arguments(for: [JobID(3), JobID(41), JobID(5)])
        #expect(arguments.contains("--jobs=3,41,5"))
        #expect(arguments.contains("--states=all"))
    }

    @Test func everyLineOfACaptureIsRead() throws {
        let live = try QueueListing.parse(Fixtures.text("squeue-live.txt"))
        let all = try QueueListing.parse(Fixtures.text("squeue-all.txt"))
        #expect(live.count == 10)
        #expect(all.count == 13)
    }

    @Test func aFinishedJobHasItsStateReasonNodeAndExit() throws {
        let failed = try Fixtures.status("exit3")
        #expect(failed.state == .failed)
        #expect(failed.reason == "NonZeroExitCode")
        #expect(failed.nodes == "vm")
        #expect(failed.exit.code == 3 && failed.exit.signal == nil)
        let killed = try Fixtures.status("signal")
        #expect(killed.exit.signal == 9 && killed.exit.code == nil)
    }

    @Test func aPendingJobHasNoNodeAndItsReason() throws {
        let waiting = try Fixtures.status("resources", in: "squeue-live.txt")
        #expect(waiting.state == .pending)
        #expect(waiting.reason == "Resources")
        #expect(waiting.nodes == nil)
    }

    @Test func timeLimitsAreSeconds() throws {
        #expect(try Fixtures.status("timeout").timeLimit == .seconds(60))
        #expect(try Fixtures.status("partitiontime").timeLimit == .seconds(300))
        #expect(try Fixtures.status("completed").timeLimit == .unlimited)
        #expect(TimeLimit(parsing: "1-02:03:04") == .seconds(93784))
        #expect(TimeLimit(parsing: "02:03:04") == .seconds(7384))
        #expect(TimeLimit(parsing: "1:2:3:4") == nil)
        #expect(TimeLimit(parsing: "soon") == nil)
    }

    @Test func aLineOfAnotherShapeIsAnErrorNamingIt() {
        for line in ["12|RUNNING|None|vm|UNLIMITED|0", "12|RUNNING|None|vm|forever|0|", "x|RUNNING|None|vm|UNLIMITED|0|"] {
            #expect(throws: SlurmError.unreadable(command: "squeue", output: line)) {
                try QueueListing.parse("1|COMPLETED|None|vm|UNLIMITED|0|\n" + line + "\n")
            }
        }
    }
}
