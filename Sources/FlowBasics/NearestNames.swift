/// "Did you mean" suggestions: the candidates closest to a misspelt name.
public enum NearestNames {
    /// Candidates within a small edit distance of `name`, closest first.
    public static func to(_ name: String, among candidates: some Sequence<String>, limit: Int = 1) -> [String] {
        let lowered = name.lowercased()
        let threshold = max(1, min(3, lowered.count / 3 + 1))
        let scored = candidates.compactMap { candidate -> (String, Int)? in
            let distance = editDistance(lowered, candidate.lowercased())
            return distance <= threshold ? (candidate, distance) : nil
        }
        return scored.sorted { ($0.1, $0.0) < ($1.1, $1.0) }.prefix(limit).map(\.0)
    }

    /// A hint sentence for `name`, or nil when nothing is close.
    public static func hint(for name: String, among candidates: some Sequence<String>) -> String? {
        to(name, among: candidates).first.map { "did you mean '\($0)'?" }
    }

    /// Levenshtein distance with adjacent transpositions counted as one edit.
    public static func editDistance(_ a: String, _ b: String) -> Int {
        let a = Array(a.unicodeScalars), b = Array(b.unicodeScalars)
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var previous2 = [Int](repeating: 0, count: b.count + 1)
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                    current[j] = min(current[j], previous2[j - 2] + 1)
                }
            }
            (previous2, previous, current) = (previous, current, previous2)
        }
        return previous[b.count]
    }
}

/// Formats a list of names for a message: `'a', 'b' and 'c'`.
public func quotedList(_ names: some Sequence<String>, conjunction: String = "and") -> String {
    let quoted = names.map { "'\($0)'" }
    switch quoted.count {
    case 0: return "none"
    case 1: return quoted[0]
    default: return quoted.dropLast().joined(separator: ", ") + " \(conjunction) " + quoted.last!
    }
}
