import Glibc
import FlowBasics
@testable import FlowStore

/// A fresh folder under the system's temporary folder; the store goes in `path`.
struct TemporaryStore {
    let folder: String
    var path: String { "\(folder)/store" }

    init() {
        var template = Array("/tmp/flowstore-test-XXXXXX".utf8CString)
        let made = template.withUnsafeMutableBufferPointer { buffer -> String? in
            guard let base = buffer.baseAddress, let result = mkdtemp(base) else { return nil }
            return String(cString: result)
        }
        folder = made ?? "/tmp/flowstore-test-\(UInt64.random(in: 0 ... .max))"
        if made == nil { mkdir(folder, 0o755) }
    }

    /// File names in `relative` (inside the store), sorted.
    func files(in relative: String) -> [String] {
        guard let directory = opendir("\(path)/\(relative)") else { return [] }
        defer { closedir(directory) }
        var names: [String] = []
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
            if name != "." && name != ".." { names.append(name) }
        }
        return names.sorted()
    }
}

/// A stand-in for a worker's pickled value: a valid-looking hash derived from `seed`.
func artifact(_ seed: String, type: String = "builtins.int") -> ArtifactRef {
    ArtifactRef(blob: BlobHash.of(Array(seed.utf8)), size: Int64(seed.utf8.count), type: type, repr: seed)
}
