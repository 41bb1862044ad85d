/// What a request printed on the worker's fds 1 and 2, whole.
public struct PrintedOutput: Sendable, Hashable {
    public var stdout = ""
    public var stderr = ""

    public init(stdout: String = "", stderr: String = "") {
        self.stdout = stdout
        self.stderr = stderr
    }
}
