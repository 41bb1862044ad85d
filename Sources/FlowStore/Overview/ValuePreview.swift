/// What a reader shows of a stored value beyond its repr (specs/store-format.md, "Previews"):
/// the first rows of a data frame, an array's shape and statistics, an image, a dict as a tree.
/// A worker makes it in the value's own environment; readers only decode it, never the value.
public struct ValuePreview: Codable, Hashable, Sendable {
    public enum Kind: String, Codable, Sendable {
        case table, array, image, tree
        /// No preview applies: the repr says it all.
        case none
    }

    /// The version of this document; a reader ignores a cached one of another version.
    public var format: Int
    public var kind: Kind
    /// One line about the value (`DataFrame: 1,000 rows × 5 columns`).
    public var summary: String?
    /// What was left out to keep it small (`the first 20 of 1,000 rows`).
    public var note: String?
    public var table: Table?
    public var array: ArrayFacts?
    public var image: Image?
    public var tree: TreeNode?

    public static let currentFormat = 1

    public init(kind: Kind, summary: String? = nil, note: String? = nil, table: Table? = nil, array: ArrayFacts? = nil,
                image: Image? = nil, tree: TreeNode? = nil) {
        self.format = Self.currentFormat
        self.kind = kind
        self.summary = summary
        self.note = note
        self.table = table
        self.array = array
        self.image = image
        self.tree = tree
    }

    /// A data frame's first rows, every cell already a string.
    public struct Table: Codable, Hashable, Sendable {
        public var columns: [String]
        public var dtypes: [String]?
        public var index: [String]
        public var rows: [[String]]

        public init(columns: [String], dtypes: [String]? = nil, index: [String], rows: [[String]]) {
            self.columns = columns
            self.dtypes = dtypes
            self.index = index
            self.rows = rows
        }
    }

    /// An array's shape, element type and statistics (numbers as Python formats them).
    public struct ArrayFacts: Codable, Hashable, Sendable {
        public var shape: [Int]
        public var dtype: String
        /// `min`, `max`, `mean`, `std`, `nan` (count) where they apply, in that order.
        public var stats: [Stat]
        /// The first elements, as numpy prints them.
        public var sample: String?

        public init(shape: [Int], dtype: String, stats: [Stat], sample: String? = nil) {
            self.shape = shape
            self.dtype = dtype
            self.stats = stats
            self.sample = sample
        }
    }

    public struct Stat: Codable, Hashable, Sendable {
        public var name: String
        public var value: String

        public init(name: String, value: String) {
            self.name = name
            self.value = value
        }
    }

    /// An image's bytes in base64: `image/png` or `image/svg+xml`.
    public struct Image: Codable, Hashable, Sendable {
        public var mime: String
        public var base64: String

        public init(mime: String, base64: String) {
            self.mime = mime
            self.base64 = base64
        }
    }

    /// A mapping's entry (or the root): its key's repr, its value's type, and either the
    /// value's short repr or its own entries; `more` counts the entries left out.
    public final class TreeNode: Codable, Hashable, Sendable {
        public let key: String
        public let type: String
        public let repr: String?
        public let children: [TreeNode]?
        public let more: Int?

        public init(key: String, type: String, repr: String? = nil, children: [TreeNode]? = nil, more: Int? = nil) {
            self.key = key
            self.type = type
            self.repr = repr
            self.children = children
            self.more = more
        }

        public static func == (a: TreeNode, b: TreeNode) -> Bool {
            a.key == b.key && a.type == b.type && a.repr == b.repr && a.children == b.children && a.more == b.more
        }

        public func hash(into hasher: inout Hasher) {
            hasher.combine(key)
            hasher.combine(type)
            hasher.combine(repr)
            hasher.combine(children)
        }
    }
}
