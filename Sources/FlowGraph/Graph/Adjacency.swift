/// A list of integers for each row (a step id), all in one flat array: compressed sparse rows.
/// Building a thousand small arrays cost more than the walks that read them.
struct Adjacency: Sendable {
    /// Row `r` is `items[offsets[r]..<offsets[r + 1]]`.
    private var offsets: [Int]
    private var items: [Int]

    /// `pairs` gives each item with its row; within a row, items keep the order of `pairs`.
    init(rows: Int, pairs: [(row: Int, item: Int)]) {
        offsets = Array(repeating: 0, count: rows + 1)
        for pair in pairs { offsets[pair.row + 1] += 1 }
        for row in 0..<rows { offsets[row + 1] += offsets[row] }
        items = Array(repeating: 0, count: pairs.count)
        var next = offsets
        for pair in pairs {
            items[next[pair.row]] = pair.item
            next[pair.row] += 1
        }
    }

    var rowCount: Int { offsets.count - 1 }

    subscript(row: Int) -> ArraySlice<Int> { items[offsets[row]..<offsets[row + 1]] }

    /// Each row without the items it repeats, first occurrences kept. Rows are short: a linear
    /// scan of the row beats a set.
    func withoutRepeats() -> Adjacency {
        var pairs: [(row: Int, item: Int)] = []
        pairs.reserveCapacity(items.count)
        for row in 0..<rowCount {
            let list = self[row]
            for (position, item) in zip(list.indices, list) where !list[..<position].contains(item) {
                pairs.append((row, item))
            }
        }
        return Adjacency(rows: rowCount, pairs: pairs)
    }

    /// Each row's items mapped through `transform`, in place of the items themselves.
    func map(_ transform: (Int) -> Int) -> Adjacency {
        var result = self
        result.items = items.map(transform)
        return result
    }
}
