/// The files of the operations dashboard (`/ui`), shipped inside the binary: no CDN, works offline. The page
/// loads only these two files (the Content-Security-Policy allows nothing else) and builds every view from the
/// JSON API with DOM text nodes, so no user string is ever parsed as HTML.
enum DashboardAsset: Equatable, Sendable {
    case page
    case script
    case style

    var contentType: String {
        switch self {
        case .page: "text/html; charset=utf-8"
        case .script: "text/javascript; charset=utf-8"
        case .style: "text/css; charset=utf-8"
        }
    }

    var body: String {
        switch self {
        case .page: DashboardPage.html
        case .script: DashboardScript.source
        case .style: DashboardStyle.source
        }
    }

    /// The headers every dashboard file carries: a strict CSP (only this origin's files, no inline script or
    /// style, no framing), no MIME sniffing, no referrer, and no caching of an admin page.
    static let securityHeaders: [(name: String, value: String)] = [
        ("Content-Security-Policy", "default-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'"),
        ("X-Content-Type-Options", "nosniff"),
        ("Referrer-Policy", "no-referrer"),
        ("Cache-Control", "no-store"),
    ]
}
