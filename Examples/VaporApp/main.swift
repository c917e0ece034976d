import Herald
import HeraldLogging
import HeraldVapor
import Vapor

// Herald on its embedded default configuration (memory queue, console channels), served at the root on :8081.
let app = try await Application.make(.detect())
app.http.server.configuration.port = 8081
let herald = try Herald(logger: SwiftLogSink(app.logger))
try app.herald.mount(herald, at: "/")   // the routes, and herald.run() from boot until shutdown
try await app.execute()                  // serves until SIGTERM or Ctrl-C
try await app.asyncShutdown()            // stops Herald after in-flight deliveries finish
