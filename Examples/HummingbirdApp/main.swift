import Herald
import HeraldHummingbird
import HeraldLogging
import HeraldServiceLifecycle
import Hummingbird
import Logging
import ServiceLifecycle

// Herald on its embedded default configuration (memory queue, console channels), served at the root on :8080.
let logger = Logger(label: "HummingbirdApp")
let herald = try Herald(logger: SwiftLogSink(logger))
let router = Router()
router.addHeraldRoutes(herald, at: "/")
let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 8080)), logger: logger)
// Services stop in reverse order on SIGTERM/SIGINT: the HTTP server first, then Herald's workers.
let services: [any Service] = [HeraldService(herald), app]
try await ServiceGroup(services: services, gracefulShutdownSignals: [.sigterm, .sigint], logger: logger).run()
