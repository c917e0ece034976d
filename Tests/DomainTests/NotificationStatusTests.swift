import HeraldDomain
import Testing

@Suite struct NotificationStatusTests {
    @Test(arguments: [
        ([DeliveryStatus.queued, .sent], NotificationStatus.pending),
        ([.retrying], .pending),
        ([.sent, .sent], .sent),
        ([.sent, .skipped], .sent),
        ([.skipped], .sent),
        ([.sent, .failed], .partial),
        ([.failed, .skipped], .failed),
        ([.failed, .failed], .failed),
        ([.sent, .failed, .retrying], .pending),
    ])
    func aggregatesDeliveryStatuses(deliveries: [DeliveryStatus], expected: NotificationStatus) {
        #expect(NotificationStatus(aggregating: deliveries) == expected)
    }
}
