import Glibc
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The previews of values already made, kept in the store as `previews/HH/HEX.json`, HEX the
/// value's blob (specs/store-format.md, "Previews"). A value's blob names its bytes, so its
/// preview never goes stale; a file of another format is made again. Writing is best effort:
/// in a store this process may not write (another user's) nothing is cached.
public struct PreviewCache: Sendable {
    public let layout: StoreLayout

    public init(layout: StoreLayout) { self.layout = layout }

    public var folder: String { "\(layout.root)/previews" }

    func path(_ blob: String) throws -> String {
        guard BlobHash.isValid(blob) else { throw StoreError.invalidHash(blob) }
        return "\(folder)/\(blob.prefix(2))/\(blob).json"
    }

    /// The cached preview of the value in `blob`, if one of the current format is there.
    public func preview(of blob: String) -> ValuePreview? {
        guard let path = try? path(blob), FileIO.exists(path), let bytes = try? FileIO.read(path) else { return nil }
        guard let preview = try? JSONDecoder().decode(ValuePreview.self, from: Data(bytes)),
              preview.format == ValuePreview.currentFormat else { return nil }
        return preview
    }

    /// Keeps `preview` for the value in `blob`; false when the store cannot be written.
    @discardableResult
    public func keep(_ preview: ValuePreview, of blob: String) -> Bool {
        do {
            let path = try path(blob)
            let bytes = Array(try JSONEncoder().encode(preview))
            try FileIO.makeDirectory(folder)
            try FileIO.makeDirectory(FileIO.parentOf(path))
            try FileIO.makeDirectory(layout.temporary)
            try FileIO.writeAtomically(bytes, to: path, through: layout.temporary)
            // A preview shows the value: it is no more readable than the value's blob (a file
            // param's blob is no more readable than its file).
            var info = stat()
            if stat(try layout.blobPath(blob), &info) == 0 { chmod(path, info.st_mode & 0o666) }
            return true
        } catch {
            return false
        }
    }
}
