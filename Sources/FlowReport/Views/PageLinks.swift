import FlowStore

/// Where a page's links go. The UI links to its own pages; a report file has nowhere to link
/// but within itself, so it links only to its own sections.
public protocol PageLinks: Sendable {
    func run(_ run: RunRecord) -> String?
    /// A step's tasks, on its run's page.
    func step(_ step: String, of run: RunRecord) -> String?
    func task(_ task: TaskRecord, of run: RunRecord) -> String?
    /// A page of the run's task table (from 0) with the same filters.
    func taskPage(_ page: Int, of run: RunRecord, filter: TaskFilter) -> String?
    /// An attempt's whole stdout or stderr, as plain text.
    func log(_ stream: String, attempt: Int, of task: TaskRecord, run: RunRecord) -> String?
}

/// A report's links: anchors within the file.
public struct ReportLinks: PageLinks {
    public init() {}
    public func run(_ run: RunRecord) -> String? { nil }
    public func step(_ step: String, of run: RunRecord) -> String? { "#tasks" }
    public func task(_ task: TaskRecord, of run: RunRecord) -> String? { "#task-\(task.id)" }
    public func taskPage(_ page: Int, of run: RunRecord, filter: TaskFilter) -> String? { nil }
    public func log(_ stream: String, attempt: Int, of task: TaskRecord, run: RunRecord) -> String? { nil }
}

/// Which of a run's tasks its table lists.
public struct TaskFilter: Hashable, Sendable {
    public var step: String?
    public var status: TaskStatus?
    public var page: Int
    public var pageSize: Int

    public init(step: String? = nil, status: TaskStatus? = nil, page: Int = 0, pageSize: Int = 100) {
        self.step = step
        self.status = status
        self.page = page
        self.pageSize = pageSize
    }
}
