import Foundation
import Testing

/// Recording a golden file writes it and fails the test, so no recorded golden passes unreviewed.
@Suite struct GoldenFileTests {
    @Test func recordingWritesTheFileAndFails() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("flowspec-golden-\(UUID())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        try "old\n".write(to: folder.appendingPathComponent("g.txt"), atomically: true, encoding: .utf8)

        try withKnownIssue("recording always fails") {
            try expectGolden("new\n", at: "g.txt", in: folder, recording: true)
        } matching: { issue in
            issue.comments.contains { $0.rawValue.contains("re-recorded g.txt: review the diff") }
        }
        #expect(try String(contentsOf: folder.appendingPathComponent("g.txt"), encoding: .utf8) == "new\n")
        try expectGolden("new\n", at: "g.txt", in: folder, recording: false)
    }
}
