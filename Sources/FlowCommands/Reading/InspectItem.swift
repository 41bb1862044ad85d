import FlowBasics
import FlowStore
import WorkerProtocol

/// The item a foreach task processed, as `inspect RUN/STEP/TASK` shows it: its short repr (as
/// artifacts' reprs are kept: reprlib's, at most 200 characters, so a large item shows its type
/// and first values), which one worker reads, and what it is an item of (`genres[3]`).
struct InspectItem {
    let ref: ValueRef
    /// The visible artifact it comes from, with its path: `genres[3]`, `data.rows[0]`.
    let source: String?
    let repr: String?
    /// Why the repr could not be read.
    let problem: String?

    /// Nil for a task that is not a foreach step's, or one recorded before tasks kept their items.
    init?(task: TaskRecord, run: RunRecord, context: ReadingContext) throws {
        guard let text = task.item else { return nil }
        guard let ref = ValueRef(jsonText: text) else {
            throw ReadingContext.failure("task '\(task.path)' of '\(run.flow)/\(run.id)' has a malformed item: \(text.prefix(80))")
        }
        self.ref = ref
        source = try Self.source(of: ref, task: task, context: context)
        (repr, problem) = Self.repr(of: ref, run: run, context: context)
    }

    var text: String {
        let shown = repr.map(InspectText.oneLine) ?? "(not shown: \(problem ?? "unknown"))"
        return source.map { "\(shown)  (\($0))" } ?? shown
    }

    var json: JSONValue {
        .object(["repr": .optional(repr), "source": .optional(source), "error": .optional(problem)])
    }

    /// The name its blob has among what the task's parent saw, and the path into it.
    private static func source(of ref: ValueRef, task: TaskRecord, context: ReadingContext) throws -> String? {
        guard case .blob(let hash, let path) = ref,
              let parent = try context.read({ try context.reader.parents(of: task.id) }).first else { return nil }
        let seen = try context.read { try context.reader.visibleArtifacts(of: parent) }
        guard let name = seen.values.filter({ $0.value.blob == hash }).map(\.name).min() else { return nil }
        return name + path.map { step in
            switch step {
            case .attr(let attribute): ".\(attribute)"
            case .index(let index): "[\(index)]"
            case .key(let key): "[\(String(reflecting: key))]"
            }
        }.joined()
    }

    /// The short repr a worker gives for the value (a `match` with no cases names it so).
    private static func repr(of ref: ValueRef, run: RunRecord, context: ReadingContext) -> (String?, String?) {
        do {
            let worker = try RunWorker(run: run, context: context)
            defer { worker.shutDown() }
            let response = try worker.send(.match(MatchRequest(id: 1, store: context.storePath, value: ref, cases: [], code: worker.code)))
            if let error = response.error, response.status == .failed { return (nil, error.message) }
            return (response.repr, nil)
        } catch {
            return (nil, "\(error)")
        }
    }
}
