import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A real SIGTERM to a host process (`SIGTERMProbe`): its ServiceGroup's graceful shutdown reaches Herald, the
/// deliveries in flight finish, the rest stay queued, and the process exits 0. In a process of its own, because
/// a SIGTERM to the test process would also stop the other suites' servers.
@Suite("HeraldService under SIGTERM", .timeLimit(.minutes(1)))
struct SIGTERMProcessTests {
    static let probe = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        .appendingPathComponent("SIGTERMProbe")

    @Test func aSIGTERMWithDeliveriesInFlightLetsThemFinishAndLeavesTheRestQueued() async throws {
        let process = Process()
        process.executableURL = Self.probe
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        let reader = output.fileHandleForReading
        var text = ""
        while !text.contains("in flight\n") {
            let chunk = reader.availableData
            guard !chunk.isEmpty else { break }
            text += String(decoding: chunk, as: UTF8.self)
        }
        kill(process.processIdentifier, SIGTERM)
        text += String(decoding: reader.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()

        #expect(process.terminationStatus == 0)
        let statuses = text.split(separator: "\n").filter { $0.hasPrefix("ntf_") }.map { $0.split(separator: " ")[1] }
        #expect(statuses.count == 6)
        #expect(statuses.filter { $0 == "sent" }.count >= 4, "\(text)")
        #expect(statuses.allSatisfy { $0 == "sent" || $0 == "queued" }, "\(text)")
        #expect(statuses.contains("queued"), "a SIGTERM 400 ms into the first sends leaves some queued: \(text)")
        #expect(text.contains("in_flight 0"))
    }
}
