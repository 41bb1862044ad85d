@testable import LocalExecution
import Foundation
import Testing

/// A `python.requirements` environment is the same whichever installer builds it: uv when there
/// is one, else venv and pip. Builds from PyPI.
@Suite struct EnvironmentBuilderTests {
    private let folder = FileManager.default.temporaryDirectory.appendingPathComponent("flowspec-builder-\(UUID())")
    private static let requirements = ["pyjokes==0.6.0"]

    private func build(_ installer: EnvironmentBuilder.Installer, store: String) throws -> (EnvironmentBuilder, EnvironmentRecord) {
        let builder = EnvironmentBuilder(store: folder.appendingPathComponent(store).path, base: try PythonEnvironment.discover(),
                                         requirements: Self.requirements, installer: installer)
        let (record, built) = try builder.ensure()
        #expect(built)
        return (builder, record)
    }

    @Test func uvAndPipBuildTheSameEnvironmentUnderOneHash() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let uv = try #require(EnvironmentBuilder.findUV(base: try PythonEnvironment.discover()), "scripts/install-deps.sh installs uv")
        let (withUV, uvRecord) = try build(.uv(uv), store: "uv")
        let (withPip, pipRecord) = try build(.pip, store: "pip")
        #expect(withUV.hash == withPip.hash)
        #expect((uvRecord.tool, pipRecord.tool) == ("uv", "pip"))
        #expect(uvRecord.packages == pipRecord.packages)
        #expect(uvRecord.packages.map { "\($0.name) \($0.version)" } == ["pyjokes 0.6.0"])
        for builder in [withUV, withPip] {
            let site = builder.folder + "/lib/python\(builder.base.version.split(separator: ".").prefix(2).joined(separator: "."))/site-packages"
            let cached = try FileManager.default.contentsOfDirectory(atPath: site + "/pyjokes/__pycache__")
            #expect(cached.contains { $0.hasPrefix("pyjokes.") && $0.hasSuffix(".pyc") }, "compiled at install: \(cached)")
            let imported = try ProgramRun.run([builder.interpreter, "-c", "import pyjokes; print(pyjokes.__version__)"])
            #expect(imported.succeeded && imported.output == "0.6.0\n", "\(imported.output)")
        }
    }

    /// uv on PATH first, else the one beside the base interpreter; one that does not run (a pyenv
    /// shim of another version) is no uv, and pip builds.
    @Test func uvIsFoundOnPathElseBesideTheBaseInterpreterAndOnlyWhenItRuns() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let bin = folder.appendingPathComponent("bin")
        try FileManager.default.createDirectory(at: bin, withIntermediateDirectories: true)
        let base = PythonEnvironment(executable: folder.appendingPathComponent("python3").path, version: "3.11.7", libdir: "/lib",
                                     prefix: folder.path)
        let beside = folder.appendingPathComponent("uv").path, onPath = bin.appendingPathComponent("uv").path
        let env = ["PATH": "/no/such/folder:" + bin.path]
        #expect(EnvironmentBuilder.findUV(base: base, env: env) == nil)
        // Links, not scripts written here: a file just written can be busy for exec while another
        // test's child process still holds it open. `true --version` succeeds; `false --version` fails.
        let link = { (path: String, target: String) in
            try? FileManager.default.removeItem(atPath: path)
            try FileManager.default.createSymbolicLink(atPath: path, withDestinationPath: target)
        }
        let cases = [("/bin/true", "/bin/true", onPath), ("/bin/false", "/bin/true", beside), ("/bin/false", "/bin/false", nil)]
        for (pathTarget, besideTarget, found) in cases {
            try link(onPath, pathTarget)
            try link(beside, besideTarget)
            #expect(EnvironmentBuilder.findUV(base: base, env: env) == found, "\(pathTarget), \(besideTarget)")
        }
    }
}
