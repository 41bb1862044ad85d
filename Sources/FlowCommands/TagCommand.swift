import ArgumentParser
import FlowBasics
import FlowStore

/// `flowspec tag add|remove|list`: a run's user tags, changed after it ran.
struct TagCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tag",
        abstract: "Add, remove or list a run's tags.",
        discussion: """
            A run's tags are its system tags, which the run set when it began (user:NAME, who \
            ran it; flowspec_version:X; python_version:X.Y.Z, the Python of its first step's \
            environment), then its user tags, from `flowspec run --tag` and `flowspec tag add`. \
            System tags cannot be removed, nor added by hand. `flowspec runs --tag T` lists the \
            runs with a tag; a resumed run starts with the user tags of the run it resumed.

            Examples:
              flowspec tag add MovieStats/latest baseline reviewed
              flowspec tag remove MovieStats/20261121-221530-a1b2 reviewed
              flowspec tag list latest

            Exit status: 0, 1 for an unknown run or a tag it does not have, 2 for a tag that \
            cannot be a user tag.
            """,
        subcommands: [Add.self, Remove.self, List.self])

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Add user tags to a run (those it has stay as they are).")

        @OptionGroup var target: TagTarget

        @Argument(help: ArgumentHelp("The tags to add.", valueName: "tag"))
        var tags: [String]

        func validate() throws {
            if let problem = tags.lazy.compactMap(RunTags.problem).first { throw ValidationError(problem) }
        }

        func run() throws {
            let (context, run) = try target.resolve()
            let added = RunTags.unique(tags.filter { !run.tags.contains($0) })
            let now = try target.change(run, context: context) { try $0.addTags(added, to: run.id) }
            let name = "\(run.flow)/\(run.id)"
            let message = added.isEmpty ? "\(name) has \(quotedList(tags)) already" : "tagged \(name) \(quotedList(added))"
            Terminal.writeError(message + "; its tags: " + TagTarget.summary(now) + "\n")
        }
    }

    struct Remove: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Remove user tags from a run.")

        @OptionGroup var target: TagTarget

        @Argument(help: ArgumentHelp("The tags to remove.", valueName: "tag"))
        var tags: [String]

        func run() throws {
            let (context, run) = try target.resolve()
            for tag in tags {
                if RunTags.isSystem(tag) {
                    throw ReadingContext.failure("'\(tag)' is a system tag of '\(run.flow)/\(run.id)': the run set it, and it cannot be removed")
                }
                if !run.tags.contains(tag) {
                    let own = RunTags.user(run.tags)
                    throw ReadingContext.failure("run '\(run.flow)/\(run.id)' has no tag '\(tag)'", hint:
                        NearestNames.hint(for: tag, among: own) ?? (own.isEmpty ? "it has no user tags" : "its user tags are \(quotedList(own))"))
                }
            }
            let remaining = try target.change(run, context: context) { try $0.removeTags(RunTags.unique(tags), from: run.id) }
            Terminal.writeError("untagged \(run.flow)/\(run.id) \(quotedList(RunTags.unique(tags))); its tags: \(TagTarget.summary(remaining))\n")
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List a run's tags: its user tags, then its system tags, one a line.")

        @OptionGroup var target: TagTarget

        @Flag(help: "Print JSON: {run, tags, user_tags, system_tags}.")
        var json = false

        func run() throws {
            let (_, run) = try target.resolve()
            let user = RunTags.user(run.tags), system = RunTags.system(run.tags)
            if json {
                Terminal.write(ReadingFormat.json(.object([
                    "run": .string("\(run.flow)/\(run.id)"), "tags": .array(run.tags.map(JSONValue.string)),
                    "user_tags": .array(user.map(JSONValue.string)), "system_tags": .array(system.map(JSONValue.string)),
                ])))
                return
            }
            Terminal.write((user + system.map { "\($0)  (system)" }).map { $0 + "\n" }.joined())
        }
    }
}

/// The run a `tag` subcommand works on, and the store it is in.
struct TagTarget: ParsableArguments {
    @Argument(help: "The run: FLOW/ID, an id, a unique prefix or latest.")
    var run: String

    @OptionGroup var store: StoreOption

    func resolve() throws -> (ReadingContext, RunRecord) {
        let context = try ReadingContext(store)
        let (record, rest) = try context.resolve(run)
        guard rest.isEmpty else {
            throw ReadingContext.failure("'\(run)' is not a run: tags belong to a whole run (FLOW/ID)", status: 2)
        }
        return (context, record)
    }

    /// Makes a change through the store's writer, reporting a store error as a failure.
    func change(_ run: RunRecord, context: ReadingContext, _ body: (StoreWriter) throws -> [String]) throws -> [String] {
        try context.read { try body(try StoreWriter(path: context.storePath)) }
    }

    static func summary(_ tags: [String]) -> String {
        let user = RunTags.user(tags)
        return user.isEmpty ? "no user tags" : user.joined(separator: ", ")
    }
}
