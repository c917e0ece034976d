/// "Did you mean …" for a misspelled name: the closest of the known names, when it is close enough to be
/// a typo (an edit distance of at most a third of the name's length, and at least 1).
public enum Suggestion {
    /// The known name closest to `name`, or nil when none is a plausible typo of it.
    public static func closest(to name: String, among known: some Sequence<String>) -> String? {
        let limit = max(1, name.count / 3)
        var best: (name: String, distance: Int)?
        for candidate in known.sorted() {
            let distance = editDistance(Array(name.lowercased()), Array(candidate.lowercased()))
            if distance <= limit, distance < (best?.distance ?? .max) { best = (candidate, distance) }
        }
        return best?.name
    }

    /// ` (did you mean "slack"?)` for the closest known name, or an empty string.
    public static func hint(for name: String, among known: some Sequence<String>) -> String {
        closest(to: name, among: known).map { " (did you mean \"\($0)\"?)" } ?? ""
    }

    /// Levenshtein distance: insertions, deletions and substitutions, one row at a time.
    static func editDistance(_ a: [Character], _ b: [Character]) -> Int {
        guard !a.isEmpty else { return b.count }
        guard !b.isEmpty else { return a.count }
        var previous = Array(0...b.count)
        var current = Array(repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                let substitution = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)
                current[j] = min(previous[j] + 1, current[j - 1] + 1, substitution)
            }
            swap(&previous, &current)
        }
        return previous[b.count]
    }
}
