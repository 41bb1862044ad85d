import FlowBasics
import FlowPreviews
import FlowReport
import FlowStore

/// What each page of the UI answers, read from the store: every request opens the store
/// read-only for itself, so requests never share a connection and nothing is ever written to
/// the run records.
struct UIHandlers: Sendable {
    let storePath: String
    /// Makes artifacts' previews; nil leaves them out.
    var previews: PreviewMaker?
    let links = ServerLinks()
    var runsPerPage = 50
    var tasksPerPage = 100

    func reader() throws -> StoreReader { try StoreReader(path: storePath) }

    /// Runs `body`, answering a store's failure with a page that says it.
    func answering(_ body: () throws -> Reply) -> Reply {
        do {
            return try body()
        } catch let error as StoreError {
            if case .runNotFound = error { return .problem(404, "No such run", "\(error)", store: storePath) }
            if case .taskNotFound = error { return .problem(404, "No such task", "\(error)", store: storePath) }
            return .problem(500, "Cannot read the store", "\(error)", store: storePath)
        } catch {
            return .problem(500, "Cannot read the store", "\(error)", store: storePath)
        }
    }

    func runs(_ query: Query) -> Reply {
        answering {
            let reader = try reader()
            let page = max(0, query.int("page") ?? 0)
            let listing = RunListing(flow: query["flow"], status: query["status"].flatMap(RunStatus.init), tag: query["tag"],
                                     user: query["user"], offset: page * runsPerPage, limit: runsPerPage)
            let found = try reader.runs(listing)
            let facets = try reader.runFacets()
            let choices = RunsTable.Choices(flows: try reader.flows().map(\.name), users: facets.users, tags: facets.tags)
            return .page(UIPages.runs(found, listing: listing, choices: choices, counts: try reader.taskCounts(of: found.runs),
                                      store: storePath, links: links) { links.runs(listing, page: $0) })
        }
    }

    func run(_ id: String, _ query: Query) -> Reply {
        answering {
            let reader = try reader()
            let snapshot = try RunSnapshot.load(try reader.run(id), from: reader)
            let filter = TaskFilter(step: query["step"], status: query["status"].flatMap(TaskStatus.init),
                                    page: max(0, query.int("page") ?? 0), pageSize: tasksPerPage)
            return .page(UIPages.run(snapshot, filter: filter, store: storePath, links: links, live: links.live(snapshot.run),
                                     reported: try snapshot.reported(from: reader), preview: previewPlace))
        }
    }

    /// The task `label` names in `step` (the step's only task without one); a step of several
    /// tasks without a label is the run's page filtered to it.
    func task(run id: String, step: String, label: String?) -> Reply {
        answering {
            let reader = try reader()
            let run = try reader.run(id)
            let tasks = try reader.tasks(of: run.id, step: step)
            guard let wanted = label.map(TaskLabel.init(parsing:)) ?? TaskLabel(positions: [], pass: nil) else {
                return .problem(404, "No such task", "'\(label ?? "")' is not a task label", store: storePath)
            }
            let matching = tasks.filter { $0.index == wanted.positions && (wanted.pass == nil || $0.iteration == wanted.pass) }
            guard let task = matching.max(by: { ($0.iteration, $0.id.rawValue) < ($1.iteration, $1.id.rawValue) }) else {
                if label == nil, !tasks.isEmpty { return self.run(id, Query("step=\(Percent.encoded(step))")) }
                return .problem(404, "No such task", "run \(run.flow)/\(run.id) has no task \(step)/\(label ?? "")", store: storePath)
            }
            let detail = try TaskDetail.load(task, from: reader)
            return .page(UIPages.task(detail, snapshot: run, store: storePath, links: links, preview: previewPlace))
        }
    }

    /// Where the page's script puts an artifact's preview; nothing when previews are off.
    func previewPlace(_ artifact: ArtifactRecord) -> HTML {
        previews == nil ? .empty : "<div class=\"preview\" data-preview=\"\(links.preview(artifact))\"></div>"
    }

    func compare(_ query: Query) -> Reply {
        answering {
            let ids = query.all("run")
            guard ids.count == 2 else {
                return .problem(400, "Compare two runs", "check exactly two runs on the runs page (\(ids.count) given)", store: storePath)
            }
            let reader = try reader()
            let sides = try ids.map { id -> Comparison.Side in
                let run = try reader.run(id)
                let data = try reader.runArtifacts(of: run.id)?.mapValues(\.value)
                return Comparison.Side(snapshot: try RunSnapshot.load(run, from: reader), data: data)
            }
            return .page(UIPages.compare(sides[0], sides[1], store: storePath, links: links))
        }
    }

    /// An artifact's preview, as a fragment of markup the task page puts in place. It may take
    /// a worker's start and the value's loading: call it off the server's own threads.
    func preview(_ query: Query) -> Reply {
        answering {
            guard let previews, let task = query["task"].flatMap({ Int64($0) }), let name = query["name"] else {
                return .text("give task and name", status: 400)
            }
            let reader = try reader()
            guard let artifact = try reader.artifacts(of: TaskID(task)).first(where: { $0.name == name }) else {
                return .page(PreviewHTML.failure("task \(task) has no artifact '\(name)'"), status: 404)
            }
            switch previews.preview(of: artifact, from: reader) {
            case .success(let preview): return .page(PreviewHTML.render(preview))
            case .failure(let failure): return .page(PreviewHTML.failure(failure.description))
            }
        }
    }

    /// An attempt's whole stdout or stderr, as plain text: never read as markup.
    func log(_ query: Query) -> Reply {
        answering {
            guard let task = query["task"].flatMap({ Int64($0) }), let number = query.int("attempt"),
                  let stream = query["stream"], ["stdout", "stderr"].contains(stream) else {
                return .text("give task, attempt and stream (stdout or stderr)", status: 400)
            }
            guard let attempt = try reader().attempts(of: TaskID(task)).first(where: { $0.number == number }) else {
                return .text("no attempt \(number) of task \(task)", status: 404)
            }
            return .text(stream == "stdout" ? attempt.stdout : attempt.stderr)
        }
    }

    func report(_ id: String) -> Reply {
        answering {
            let reader = try reader()
            return .page(try RunReport.load(try reader.run(id), from: reader).html())
        }
    }
}
