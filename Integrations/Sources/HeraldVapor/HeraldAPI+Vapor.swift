import Herald
import HeraldHosting
import HeraldLogging
import NIOCore
import Vapor

extension HeraldAPI {
    /// Answers a Vapor request: the head is checked before the body is read (an API key refusal reads
    /// nothing), the body is collected up to ``maxBodyBytes`` plus one byte (never more), and the answer is
    /// copied once into a `ByteBuffer`. The request line goes to the request's own logger (`req.logger`).
    func respond(to request: Vapor.Request) async -> Vapor.Response {
        var head = HeraldAPI.Request(
            method: request.method.rawValue, path: request.url.path, query: request.url.query,
            headers: request.headers.map { (name: $0.name, value: $0.value) })
        if let early = answerBeforeBody(head) { return Vapor.Response(early) }
        do {
            if let body = try await request.body.collect(max: maxBodyBytes + 1).get() {
                guard body.readableBytes <= maxBodyBytes else {
                    return Vapor.Response(bodyTooLargeResponse(for: head))
                }
                head.body = Array(body.readableBytesView)
            }
        } catch let abort as any AbortError where abort.status == .payloadTooLarge {
            return Vapor.Response(bodyTooLargeResponse(for: head))
        } catch {
            return Vapor.Response(
                HeraldAPI.Response.error(status: 400, code: "bad_request", message: "the body could not be read"))
        }
        return Vapor.Response(await handle(head, logger: SwiftLogSink(request.logger)))
    }
}

extension Vapor.Response {
    /// Herald's answer as a Vapor response: status, headers in order, the body in one buffer.
    convenience init(_ response: HeraldAPI.Response) {
        self.init(
            status: HTTPResponseStatus(statusCode: response.status),
            headers: HTTPHeaders(response.headers.map { ($0.name, $0.value) }),
            body: Body(buffer: ByteBuffer(bytes: response.body)))
    }
}
