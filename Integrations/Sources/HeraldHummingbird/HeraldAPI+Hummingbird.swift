import Herald
import HeraldHosting
import HeraldLogging
import HTTPTypes
import Hummingbird
import Logging
import NIOCore

extension HeraldAPI {
    /// Answers a Hummingbird request: the head is checked before the body is read (an API key refusal reads
    /// nothing), the body is collected up to ``maxBodyBytes`` plus one byte (never more), and the answer is
    /// copied once into a `ByteBuffer`. The request line goes to `logger`, the request context's own.
    func respond(to request: Hummingbird.Request, logger: Logger) async -> Hummingbird.Response {
        var head = HeraldAPI.Request(
            method: request.method.rawValue, path: request.uri.path, query: request.uri.query,
            headers: request.headers.map { (name: $0.name.rawName, value: $0.value) })
        if let early = answerBeforeBody(head) { return Hummingbird.Response(early) }
        do {
            let body = try await request.body.collect(upTo: maxBodyBytes + 1)
            guard body.readableBytes <= maxBodyBytes else {
                return Hummingbird.Response(bodyTooLargeResponse(for: head))
            }
            head.body = Array(body.readableBytesView)
        } catch is NIOTooManyBytesError {
            return Hummingbird.Response(bodyTooLargeResponse(for: head))
        } catch {
            return Hummingbird.Response(
                HeraldAPI.Response.error(status: 400, code: "bad_request", message: "the body could not be read"))
        }
        return Hummingbird.Response(await handle(head, logger: SwiftLogSink(logger)))
    }
}

extension Hummingbird.Response {
    /// Herald's answer as a Hummingbird response: status, headers in order (invalid names dropped), one buffer.
    init(_ response: HeraldAPI.Response) {
        var fields = HTTPFields()
        fields.reserveCapacity(response.headers.count)
        for header in response.headers {
            guard let name = HTTPField.Name(header.name) else { continue }
            fields.append(HTTPField(name: name, value: header.value))
        }
        self.init(
            status: HTTPResponse.Status(code: response.status), headers: fields,
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: response.body)))
    }
}
