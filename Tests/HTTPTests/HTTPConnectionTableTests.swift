@testable import HeraldHTTP
import Testing

/// Which connection the server closes for a newcomer at the cap: the one idle longest, never a busy one.
@Suite struct HTTPConnectionTableTests {
    @Test func theConnectionIdleLongestIsTakenFirstAndBusyOnesNever() {
        var table = HTTPConnectionTable<String>()
        let first = table.add("first")
        let second = table.add("second")
        let third = table.add("third")
        let marked = [table.markBusy(first), table.markBusy(third)]
        table.markIdle(first)
        let taken = [table.removeOldestIdle(), table.removeOldestIdle(), table.removeOldestIdle()]
        #expect(marked == [true, true])
        #expect(taken == ["second", "first", nil])
        #expect(table.count == 1)
        let afterwards = [table.markBusy(second), table.remove(first), table.remove(third)]
        #expect(afterwards == [false, false, true])
        #expect(table.count == 0)
    }

    @Test func manyIdleBusyCyclesKeepTheOrderRight() {
        var table = HTTPConnectionTable<Int>()
        let ids = (0..<10).map { table.add($0) }
        for round in 0..<1000 {
            let id = ids[round % 10]
            _ = table.markBusy(id)
            table.markIdle(id)
        }
        var taken: [Int] = []
        while let next = table.removeOldestIdle() { taken.append(next) }
        #expect(taken == Array(0..<10))
    }
}
