import HeraldApplication
import HeraldDomain
import HeraldTesting
import Testing

/// The in-memory parts hold a bounded number of entries, whatever callers do.
@Suite struct BoundedMemoryTests {
    @Test func anLRUCacheEvictsTheLeastRecentlyUsedEntry() {
        var cache = LRUCache<String, Int>(capacity: 2)
        cache.set(1, for: "a")
        cache.set(2, for: "b")
        #expect(cache.value(for: "a") == 1)
        cache.set(3, for: "c")
        #expect(cache.peek("b") == nil)
        #expect(cache.peek("a") == 1 && cache.peek("c") == 3)
        cache.removeValue(for: "a")
        cache.set(4, for: "d")
        cache.set(5, for: "e")
        #expect(cache.count == 2 && cache.peek("d") == 4 && cache.peek("e") == 5 && cache.peek("c") == nil)
    }

    @Test func anLRUCacheStaysWithinItsCapacityUnderRandomUse() {
        var cache = LRUCache<Int, Int>(capacity: 50)
        var generator = SystemRandomNumberGenerator()
        for step in 0..<10_000 {
            let key = Int.random(in: 0..<200, using: &generator)
            if step % 7 == 0 { cache.removeValue(for: key) } else { cache.set(step, for: key) }
            #expect(cache.count <= 50)
        }
    }

    @Test func theMemoryDirectoryKeepsConfiguredUsersAndForgetsTheOldestAddedOnes() async throws {
        let configured = UserProfile(id: "seed", contact: Contact(email: "seed@example.com"))
        let directory = InMemoryContactDirectory([configured], maxAddedUsers: 2)
        for id in ["a", "b", "c"] { try await directory.upsert(UserProfile(id: UserID(id))) }
        #expect(try await directory.profile(for: "a") == nil)
        #expect(try await directory.profile(for: "b") != nil)
        #expect(try await directory.profile(for: "c") != nil)
        #expect(try await directory.profile(for: "seed") == configured)
    }
}
