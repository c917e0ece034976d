/// Turns responses into the bytes a connection sends: a pure function of the response and the request it
/// answers, shared by every path that answers a client (the handler's response, a refused request, `503`).
enum HTTPResponseEncoder {
    /// The response's bytes; a `HEAD` request gets the head only, with the `Content-Length` a GET would have.
    /// Herald sets `Content-Length` and `Connection` itself; the response's own are dropped.
    static func encode(
        _ response: HeraldAPI.Response, keepAlive: Bool, minorVersion: Int, omittingBody: Bool = false
    ) -> [UInt8] {
        var head = "HTTP/1.\(minorVersion) \(response.status) \(HeraldAPI.Response.reason(response.status))\r\n"
        for (name, value) in response.headers {
            let lowered = name.lowercased()
            guard lowered != "content-length", lowered != "connection" else { continue }
            head += "\(name): \(value)\r\n"
        }
        head += "Content-Length: \(response.body.count)\r\nConnection: \(keepAlive ? "keep-alive" : "close")\r\n\r\n"
        var bytes = Array(head.utf8)
        if !omittingBody { bytes += response.body }
        return bytes
    }

    /// The answer to a request the server refuses to read further (malformed, too large, too slow).
    static func rejection(_ error: HTTPParseError) -> HeraldAPI.Response {
        let code: String =
            switch error.status {
            case 413: "body_too_large"
            case 408: "request_timeout"
            case 431: "headers_too_large"
            case 414: "uri_too_long"
            case 501: "not_implemented"
            case 505: "http_version_not_supported"
            default: "bad_request"
            }
        return APIErrorBody.response(status: error.status, code: code, message: error.message, field: nil)
    }

    /// The `503` a client gets when the server cannot take its connection; sent before reading anything.
    static let serverBusy: [UInt8] = {
        let body = #"{"error":{"code":"server_busy","message":"too many connections; try again","field":null}}"#
        return Array(
            ("HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/json; charset=utf-8\r\n"
                + "Content-Length: \(body.utf8.count)\r\nConnection: close\r\nRetry-After: 1\r\n\r\n\(body)").utf8)
    }()

    static let continueInterim = Array("HTTP/1.1 100 Continue\r\n\r\n".utf8)
}
