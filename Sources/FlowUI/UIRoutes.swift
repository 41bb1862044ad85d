import FlowReport
import HTTPTypes
import Hummingbird
import NIOCore

/// The routes of `ServerLinks`' URLs, each to its `UIHandlers` method. Handlers read the store
/// synchronously; they run on the server's task pool, one request per task.
enum UIRoutes {
    static func register(_ handlers: UIHandlers, on router: Router<some RequestContext>) {
        router.get("/") { request, _ in respond(handlers.runs(Query(request.uri.query))) }
        router.get("/static/ui.js") { _, _ in respond(.script(UIScript.source)) }
        router.get("/compare") { request, _ in respond(handlers.compare(Query(request.uri.query))) }
        router.get("/log") { request, _ in respond(handlers.log(Query(request.uri.query))) }
        router.get("/runs/:run") { request, context in
            respond(handlers.run(try parameter("run", context), Query(request.uri.query)))
        }
        router.get("/runs/:run/live") { request, context in
            respond(handlers.live(try parameter("run", context), Query(request.uri.query)))
        }
        router.get("/runs/:run/report") { _, context in respond(handlers.report(try parameter("run", context))) }
        router.get("/runs/:run/:step") { _, context in
            respond(handlers.task(run: try parameter("run", context), step: try parameter("step", context), label: nil))
        }
        router.get("/runs/:run/:step/:label") { _, context in
            respond(handlers.task(run: try parameter("run", context), step: try parameter("step", context),
                                  label: try parameter("label", context)))
        }
    }

    /// A path parameter, percent-decoded.
    static func parameter(_ name: String, _ context: some RequestContext) throws -> String {
        guard let raw = context.parameters.get(name), let value = Percent.decoded(raw) else {
            throw HTTPError(.badRequest, message: "malformed '\(name)' in the path")
        }
        return value
    }

    static func respond(_ reply: Reply) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = reply.type
        return Response(status: HTTPResponse.Status(code: reply.status), headers: headers,
                        body: .init(byteBuffer: ByteBuffer(bytes: reply.body)))
    }
}
