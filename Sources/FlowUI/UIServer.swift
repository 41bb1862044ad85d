import FlowPreviews
import FlowReport
import FlowStore
import HTTPTypes
import Hummingbird
import Logging
import NIOCore

/// `flowspec ui`: FlowReport's pages over HTTP, from one store, read-only.
public enum UIServer {
    public struct Options: Sendable {
        public var host: String
        /// 0 for any free port.
        public var port: Int
        /// The store's folder, absolute.
        public var store: String

        public init(host: String = "127.0.0.1", port: Int = 8321, store: String) {
            self.host = host
            self.port = port
            self.store = store
        }

        /// Whether only this machine can reach the server.
        public var isLoopback: Bool { Loopback.isHost(host) }
    }

    /// Serves until the process is stopped (SIGINT or SIGTERM end it cleanly); `listening`
    /// is told the address once the server accepts connections.
    public static func run(_ options: Options, listening: @escaping @Sendable (String) -> Void) async throws {
        let previews = PreviewMaker(store: options.store)
        defer { previews.shutDown() }
        let handlers = UIHandlers(storePath: options.store, previews: previews)
        let router = Router()
        router.add(middleware: GuardMiddleware(loopbackOnly: options.isLoopback))
        UIRoutes.register(handlers, on: router)
        var logger = Logger(label: "flowspec-ui")
        logger.logLevel = .warning
        let app = Application(
            router: router, configuration: .init(address: .hostname(options.host, port: options.port), serverName: nil),
            onServerRunning: { channel in
                let port = channel.localAddress?.port ?? options.port
                let host = options.host.contains(":") ? "[\(options.host)]" : options.host
                listening("http://\(host):\(port)/")
            }, logger: logger)
        try await app.runService()
    }
}

/// Headers every answer carries, and the Host check that keeps a page on another site from
/// reading a loopback server through a domain name it points at 127.0.0.1 (DNS rebinding).
struct GuardMiddleware<Context: RequestContext>: RouterMiddleware {
    let loopbackOnly: Bool

    static var policy: String {
        "default-src 'none'; script-src 'self'; connect-src 'self'; style-src 'unsafe-inline'; img-src data:; "
            + "form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        if loopbackOnly, let authority = request.head.authority, !Loopback.isAuthority(authority) {
            return Response(status: .misdirectedRequest, body: .init(byteBuffer: ByteBuffer(string: "not a loopback address\n")))
        }
        var response = try await next(request, context)
        response.headers[.contentSecurityPolicy] = Self.policy
        response.headers[.xContentTypeOptions] = "nosniff"
        response.headers[.cacheControl] = "no-store"
        response.headers[values: .init("Referrer-Policy")!] = ["no-referrer"]
        return response
    }
}

/// Names of this machine's loopback interface.
enum Loopback {
    /// `localhost`, `127.x.y.z` or `::1`.
    static func isHost(_ host: some StringProtocol) -> Bool {
        if host == "localhost" || host == "::1" { return true }
        let parts = host.split(separator: ".", omittingEmptySubsequences: false)
        return parts.count == 4 && parts[0] == "127" && parts.allSatisfy { UInt8($0) != nil }
    }

    /// A Host header's `host[:port]` (`[::1]:port` for IPv6) naming a loopback address.
    static func isAuthority(_ authority: String) -> Bool {
        if authority.hasPrefix("[") {
            return authority.dropFirst().prefix { $0 != "]" } == "::1"
        }
        return isHost(authority.prefix { $0 != ":" })
    }
}
