import Testing

@testable import HeraldSockets

@Suite struct TimerHeapTests {
    @Test func dueTimersComeOutEarliestFirstAndCancelledOnesNever() {
        var generator = SystemRandomNumberGenerator()
        let start = ContinuousClock.now
        var heap = TimerHeap()
        var fired: [Int] = []
        var offsets: [Int: Int] = [:]
        var cancelled: Set<Int> = []
        for index in 0..<2_000 {
            let offset = Int.random(in: 0..<10_000, using: &generator)
            offsets[index] = offset
            let id = heap.schedule(at: start + .milliseconds(offset)) { fired.append(index) }
            if index % 7 == 0 {
                heap.cancel(id)
                cancelled.insert(index)
            }
        }
        #expect(heap.count == 2_000 - cancelled.count)
        for body in heap.takeDue(at: start + .milliseconds(5_000)) { body() }
        let firstHalf = fired.count
        for body in heap.takeDue(at: start + .seconds(20)) { body() }
        #expect(fired.count == 2_000 - cancelled.count)
        #expect(Set(fired).isDisjoint(with: cancelled))
        let firedOffsets = fired.map { offsets[$0]! }
        #expect(firedOffsets == firedOffsets.sorted())
        #expect(firedOffsets[..<firstHalf].allSatisfy { $0 <= 5_000 })
        #expect(firedOffsets[firstHalf...].allSatisfy { $0 > 5_000 })
        #expect(heap.nextDeadline() == nil)
    }

    @Test func theNextDeadlineSkipsCancelledTimers() {
        let start = ContinuousClock.now
        var heap = TimerHeap()
        let early = heap.schedule(at: start + .seconds(1)) {}
        _ = heap.schedule(at: start + .seconds(2)) {}
        #expect(heap.nextDeadline() == start + .seconds(1))
        heap.cancel(early)
        #expect(heap.nextDeadline() == start + .seconds(2))
        #expect(heap.takeDue(at: start + .seconds(1)).isEmpty)
    }
}
