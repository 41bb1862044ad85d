/// The `flowspec resume` command that continues a run, exactly as a shell would take it: the
/// spec as it was given, the run, and the store unless it is the default one.
struct ResumeHint {
    /// The spec's path as given on the command line.
    let spec: String
    /// The store as the user named it (`--store` or `$FLOWSPEC_STORE`); nil for the default.
    let store: String?

    func command(for run: String) -> String {
        (["flowspec", "resume", spec, run] + (store.map { ["--store", $0] } ?? [])).map(Self.shellQuoted).joined(separator: " ")
    }

    /// `text` as one shell word: unchanged when it is plain, else in single quotes.
    static func shellQuoted(_ text: String) -> String {
        let plain = !text.isEmpty && text.unicodeScalars.allSatisfy { scalar in
            scalar.isASCII && (scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) || "_-./:=@%+,".unicodeScalars.contains(scalar))
        }
        return plain ? text : "'" + text.split(separator: "'", omittingEmptySubsequences: false).joined(separator: #"'\''"#) + "'"
    }
}
