import Dispatch
import FlowReport
import HTTPTypes
import Hummingbird
import NIOCore

/// The routes of `ServerLinks`' URLs, each to its `UIHandlers` method.
enum UIRoutes {
    static func register(_ handlers: UIHandlers, on router: Router<some RequestContext>) {
        router.get("/") { request, _ in
            let query = Query(request.uri.query)
            return await respond(handlers.runs(query))
        }
        router.get("/preview") { request, _ in
            let query = Query(request.uri.query)
            return await respond(handlers.preview(query))
        }
        router.get("/static/ui.js") { _, _ in response(.script(UIScript.source)) }
        router.get("/compare") { request, _ in
            let query = Query(request.uri.query)
            return await respond(handlers.compare(query))
        }
        router.get("/log") { request, _ in
            let query = Query(request.uri.query)
            return await respond(handlers.log(query))
        }
        registerRuns(handlers, on: router)
    }

    private static func registerRuns(_ handlers: UIHandlers, on router: Router<some RequestContext>) {
        router.get("/runs/:run") { request, context in
            let (run, query) = (try parameter("run", context), Query(request.uri.query))
            return await respond(handlers.run(run, query))
        }
        router.get("/runs/:run/live") { request, context in
            let (run, query) = (try parameter("run", context), Query(request.uri.query))
            return await respond(handlers.live(run, query))
        }
        router.get("/runs/:run/report") { _, context in
            let run = try parameter("run", context)
            return await respond(handlers.report(run))
        }
        router.get("/runs/:run/:step") { _, context in
            let (run, step) = (try parameter("run", context), try parameter("step", context))
            return await respond(handlers.task(run: run, step: step, label: nil))
        }
        router.get("/runs/:run/:step/:label") { _, context in
            let (run, step, label) = (try parameter("run", context), try parameter("step", context), try parameter("label", context))
            return await respond(handlers.task(run: run, step: step, label: label))
        }
    }

    /// A path parameter, percent-decoded.
    static func parameter(_ name: String, _ context: some RequestContext) throws -> String {
        guard let raw = context.parameters.get(name), let value = Percent.decoded(raw) else {
            throw HTTPError(.badRequest, message: "malformed '\(name)' in the path")
        }
        return value
    }

    /// `reply`, made on a thread of its own: handlers block on the store and on preview
    /// workers, which must not hold up the server's few task threads.
    static func respond(_ reply: @autoclosure @escaping @Sendable () -> Reply) async -> Response {
        let made = await withCheckedContinuation { continuation in
            DispatchQueue.global().async { continuation.resume(returning: reply()) }
        }
        return response(made)
    }

    static func response(_ reply: Reply) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = reply.type
        return Response(status: HTTPResponse.Status(code: reply.status), headers: headers,
                        body: .init(byteBuffer: ByteBuffer(bytes: reply.body)))
    }
}
