import Foundation
import Testing
@testable import FlowBasics

@Suite struct UserPathTests {
    @Test func resolvesDotsAgainstTheGivenFolder() {
        #expect(UserPath.absolute("x/../st", from: "/nowhere/a/b") == "/nowhere/a/b/st")
        #expect(UserPath.absolute("../proj/flow.yaml", from: "/nowhere/a/b") == "/nowhere/a/proj/flow.yaml")
        #expect(UserPath.absolute("../../st", from: "/nowhere/a/b") == "/nowhere/st")
        #expect(UserPath.absolute("./f//g/.", from: "/nowhere") == "/nowhere/f/g")
        #expect(UserPath.absolute("/abs/./x/../y", from: "/nowhere") == "/abs/y")
        #expect(UserPath.absolute("../../../..", from: "/a") == "/")
        #expect(UserPath.parent(of: "/a/b/flow.yaml") == "/a/b")
        #expect(UserPath.parent(of: "/flow.yaml") == "/")
    }

    @Test func relativePathsStartAtTheCurrentFolder() {
        #expect(UserPath.absolute("x/../st") == UserPath.currentFolder + "/st")
        #expect(UserPath.currentFolder == FileManager.default.currentDirectoryPath)
    }

    /// `link/..` is the parent of the link's target, as the kernel opens it, not the folder
    /// holding the link.
    @Test func dotDotLeavesTheFolderASymlinkPointsTo() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("userpath-\(UUID())").path
        defer { try? FileManager.default.removeItem(atPath: root) }
        try FileManager.default.createDirectory(atPath: root + "/real/deep", withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: root + "/link", withDestinationPath: root + "/real/deep")
        let real = try #require(realpath(root, nil).map { pointer in defer { free(pointer) }; return String(cString: pointer) })
        #expect(UserPath.absolute("link/../proj", from: root) == real + "/real/proj")
        #expect(UserPath.absolute("link/x", from: root) == root + "/link/x", "a symlink not followed by .. is kept")
        #expect(UserPath.absolute("missing/../st", from: root) == root + "/st")
    }
}
