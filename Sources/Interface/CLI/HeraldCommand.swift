import Foundation
import HeraldSockets
import Herald

/// The `herald` executable's entry point: picks the subcommand and maps errors to exit statuses
/// (0 success, 1 runtime or configuration error, 2 usage error).
@main
enum HeraldCommand {
    static let commands: [any Subcommand.Type] = [
        ServeCommand.self, WorkerCommand.self, SendCommand.self, StatusCommand.self, CancelCommand.self,
        ListCommand.self, DeadLettersCommand.self,
        DemoCommand.self, CheckConfigCommand.self,
    ]

    static let overview = """
        herald — accepts notification requests, persists and queues them, and delivers them to Slack,
        email (SMTP, SendGrid), SMS (Twilio), webhooks, push (APNs, FCM) and the console, with routing,
        retries, scheduling and status tracking.

        Usage: herald <command> [options]

        Commands:
        \(commands.map { "  \($0.name.padding(toLength: 14, withPad: " ", startingAt: 0))\($0.summary)" }.joined(separator: "\n"))

        Every command takes --config PATH (default: $HERALD_CONFIG, else the embedded default)
        and --help. Environment overrides: HERALD_CONFIG, HERALD_REDIS_URL, HERALD_HOST, HERALD_PORT.
        """

    static func main() async {
        let words = Array(CommandLine.arguments.dropFirst())
        guard let name = words.first, name != "--help", name != "-h", name != "help" else {
            print(overview)
            exitWritingOutput(words.isEmpty ? 2 : 0)
        }
        guard let command = commands.first(where: { $0.name == name }) else {
            printError("herald: unknown command \"\(name)\"\n\n\(overview)")
            exitWritingOutput(2)
        }
        let rest = words.dropFirst()
        if rest.contains("--help") || rest.contains("-h") {
            print(command.help)
            exitWritingOutput(0)
        }
        do {
            let arguments = try CommandLineArguments(rest, valueOptions: command.valueOptions.union(["config"]))
            exitWritingOutput(try await command.run(arguments))
        } catch let error as UsageError {
            printError("herald \(name): \(error.message)\nRun `herald \(name) --help` for usage.")
            exitWritingOutput(2)
        } catch let error as HeraldError {
            printError("herald \(name): \(error.message)")
            exitWritingOutput(1)
        } catch {
            printError("herald \(name): \(error)")
            exitWritingOutput(1)
        }
    }
}

/// One `herald` subcommand.
protocol Subcommand: Sendable {
    static var name: String { get }
    static var summary: String { get }
    static var help: String { get }
    /// Options that take a value (besides `--config`).
    static var valueOptions: Set<String> { get }
    /// Runs the command and returns the exit status.
    static func run(_ arguments: CommandLineArguments) async throws -> Int32
}

/// Writes a line to standard error, behind any log lines already queued.
func printError(_ text: String) {
    BatchedDescriptorWriter.standardError.write(text)
}

/// Exits with `status` once every queued line of standard output and standard error is written.
func exitWritingOutput(_ status: Int32) -> Never {
    BatchedDescriptorWriter.standardOutput.flush()
    BatchedDescriptorWriter.standardError.flush()
    exit(status)
}

extension CommandLineArguments {
    /// The configuration named by `--config`, `HERALD_CONFIG`, or the embedded default.
    func loadConfiguration() throws -> HeraldConfiguration {
        try HeraldConfiguration.load(path: value("config"))
    }
}
