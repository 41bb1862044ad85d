import FlowBasics
import FlowReport
import FlowStore

extension UIHandlers {
    /// The state of a run, for its page to update itself while the run goes on: `running`,
    /// then each part of the page to replace (`UIPages.liveParts`). The page asks again while
    /// `running` is true.
    func live(_ id: String, _ query: Query) -> Reply {
        answering {
            let reader = try reader()
            let snapshot = try RunSnapshot.load(try reader.run(id), from: reader)
            let filter = TaskFilter(step: query["step"], status: query["status"].flatMap(TaskStatus.init),
                                    page: max(0, query.int("page") ?? 0), pageSize: tasksPerPage)
            let parts = UIPages.liveParts(snapshot, filter: filter, links: links,
                                          reported: try snapshot.reported(from: reader), preview: previewPlace)
            var json = JSONWriter(capacity: 16 * 1024)
            json.object { json in
                json.member("running") { $0.raw(snapshot.status == .running ? "true" : "false") }
                json.member("parts") { json in
                    json.object { json in
                        for (name, text) in parts {
                            json.member(name) { $0.string(text) }
                        }
                    }
                }
            }
            return .json(json.bytes)
        }
    }
}
