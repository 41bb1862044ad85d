import ArgumentParser
import Dispatch
import FlowStore
import FlowUI
import Synchronization

struct UICommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ui",
        abstract: "Serve a local web page of the store's runs.",
        discussion: """
            Pages: the runs, newest first (filter by flow, status, tag and user; check two to \
            compare them); a run (its graph with each step's state, a timeline of every task and \
            attempt, params, environments and packages, tags, its tasks); a task (its attempts, \
            errors with tracebacks, stdout and stderr, artifacts with type, size, repr and \
            previews); two runs side by side (the params and results that differ). A running \
            run's page updates itself. Nothing is fetched from the internet, and no run record \
            is written.

            Previews (a data frame's first rows, an array's statistics, an image, a dict as a \
            tree) are made by a Python worker in the environment of the step that made the \
            value, never in the server, at most 20 s each, and kept in the store's previews/.

            It listens on 127.0.0.1 unless --host says otherwise: anyone who can reach the port \
            can read every run, log and artifact of the store. --port 0 takes any free port. \
            The first line printed is the address. Ctrl-C stops it.

            Examples:
              flowspec ui
              flowspec ui --port 9000 --store /data/flowspec

            Exit status: 0 when stopped, 1 for a missing store or a port that cannot be used.
            """)

    @Option(help: ArgumentHelp("The port to listen on (0: any free one).", valueName: "port"))
    var port = 8321

    @Option(help: ArgumentHelp("The address to listen on.", valueName: "host"))
    var host = "127.0.0.1"

    @OptionGroup var store: StoreOption

    func validate() throws {
        guard (0...65535).contains(port) else { throw ValidationError("--port must be between 0 and 65535") }
    }

    func run() throws {
        let path = store.resolved
        do {
            _ = try StoreReader(path: path)
        } catch {
            throw ReadingContext.failure("\(error)")
        }
        let options = UIServer.Options(host: host, port: port, store: path)
        let failure = Mutex<(any Error)?>(nil)
        let done = DispatchSemaphore(value: 0)
        Task {
            do {
                try await UIServer.run(options) { address in
                    Terminal.write("\(address)\n")
                    guard !options.isLoopback else { return }
                    Terminal.writeError("warning: listening on \(host): anyone who can reach \(address) can read every run, log "
                        + "and artifact preview of \(path)\n")
                }
            } catch {
                failure.withLock { $0 = error }
            }
            done.signal()
        }
        done.wait()
        if let error = failure.withLock({ $0 }) {
            throw ReadingContext.failure("cannot serve on \(host):\(port): \(error)")
        }
    }
}
