/// The words after a command name: `--name value` options (repeatable), bare `--flags` and positionals.
struct CommandLineArguments {
    private(set) var options: [String: [String]] = [:]
    private(set) var flags: Set<String> = []
    private(set) var positionals: [String] = []

    /// Parses `words`; `valueOptions` are the options that take a value.
    init(_ words: some Sequence<String>, valueOptions: Set<String>) throws(UsageError) {
        var iterator = words.makeIterator()
        while let word = iterator.next() {
            guard word.hasPrefix("--") else {
                positionals.append(word)
                continue
            }
            var name = String(word.dropFirst(2))
            var inlineValue: String?
            if let equals = name.firstIndex(of: "=") {
                inlineValue = String(name[name.index(after: equals)...])
                name = String(name[..<equals])
            }
            if valueOptions.contains(name) {
                guard let value = inlineValue ?? iterator.next() else { throw UsageError("--\(name) needs a value") }
                options[name, default: []].append(value)
            } else if inlineValue == nil {
                flags.insert(name)
            } else {
                throw UsageError("--\(name) takes no value")
            }
        }
    }

    /// The last value given for `name`.
    func value(_ name: String) -> String? { options[name]?.last }

    /// Every value given for `name`, in order.
    func values(_ name: String) -> [String] { options[name] ?? [] }

    /// Throws for any flag outside `known`.
    func rejectUnknownFlags(_ known: Set<String>) throws(UsageError) {
        if let unknown = flags.sorted().first(where: { !known.contains($0) }) {
            throw UsageError("unknown option --\(unknown)")
        }
    }
}

/// A mistake in how the command was called; printed with a pointer to `--help`, exit status 2.
struct UsageError: Error {
    let message: String
    init(_ message: String) { self.message = message }
}
