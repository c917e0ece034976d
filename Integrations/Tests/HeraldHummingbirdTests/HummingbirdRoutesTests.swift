import HTTPTypes
import HeraldHostChecks
import HeraldHummingbird
import Hummingbird
import HummingbirdTesting
import Testing

@Suite("Herald's routes in Hummingbird", .timeLimit(.minutes(1)))
struct HummingbirdRoutesTests {
    @Test(arguments: ["/notify", "/"])
    func acceptsANotificationThenReportsItsStatus(prefix: String) async throws {
        try await withHummingbirdHost(at: prefix) { try await $0.acceptsThenReportsStatus() }
    }

    @Test func retryAnswersConflictForNothingFailedAndNotFoundForUnknown() async throws {
        try await withHummingbirdHost(at: "/notify") { try await $0.retryAnswersConflictAndNotFound() }
    }

    @Test func answersContactInfo() async throws {
        try await withHummingbirdHost(at: "/notify") { try await $0.answersContactInfo() }
    }

    @Test func storesAUserThroughPut() async throws {
        try await withHummingbirdHost(at: "/notify") { try await $0.storesUser() }
    }

    @Test func answersHealthReadinessAndMetrics() async throws {
        try await withHummingbirdHost(at: "/notify") { try await $0.answersHealthReadinessAndMetrics() }
    }

    @Test(arguments: ["/notify", "/deep/mount", "/"])
    func unknownPathIsNotFoundNamingTheFullPath(prefix: String) async throws {
        try await withHummingbirdHost(at: prefix) { try await $0.unknownPathIsNotFoundNamingTheFullPath() }
    }

    @Test func wrongMethodIsMethodNotAllowedWithAllow() async throws {
        try await withHummingbirdHost(at: "/notify") { try await $0.wrongMethodIsMethodNotAllowed() }
    }

    @Test func bodyOverTheLimitIsContentTooLargeWithTheContractBody() async throws {
        try await withHummingbirdHost(at: "/notify") { try await $0.bodyOverTheLimitIsContentTooLarge() }
    }

    @Test func bodyOverTheLimitIsContentTooLargeOnALiveServer() async throws {
        try await withHummingbirdHost(at: "/notify", .live) { try await $0.bodyOverTheLimitIsContentTooLarge() }
    }

    @Test func echoesTheClientsRequestID() async throws {
        try await withHummingbirdHost(at: "/notify") { try await $0.echoesRequestID() }
    }

    @Test func leavesTheHostsOwnRoutesAlone() async throws {
        try await withHummingbirdHost(at: "/notify") { checks in
            let response = try await checks.client.send("GET", "/host")
            #expect(response.status == 200)
            #expect(response.text == "the host's own route")
        }
    }
}
