import Testing

@testable import FakeDEPServer

@Test func seedGivesTheReferenceXoshiroSequence() {
    // Reference values of xoshiro256** seeded through SplitMix64, computed independently.
    var zero = SeededGenerator(seed: 0)
    #expect(
        [zero.next(), zero.next(), zero.next()] == [
            0x99EC_5F36_CB75_F2B4, 0xBF6E_1F78_4956_452A, 0x1A5F_849D_4933_E6E0,
        ])
    var answer = SeededGenerator(seed: 42)
    #expect(
        [answer.next(), answer.next(), answer.next()] == [
            0x1578_0B2E_0C2E_C716, 0x6104_D986_6D11_3A7E, 0xAE17_5332_39E4_99A1,
        ])
}

@Test func sameSeedGivesTheSameDraws() {
    var first = SeededGenerator(seed: 7)
    var second = SeededGenerator(seed: 7)
    let a = (0..<100).map { _ in first.int(in: 0...999) }
    let b = (0..<100).map { _ in second.int(in: 0...999) }
    #expect(a == b)
}

@Test func differentSeedsGiveDifferentDraws() {
    var first = SeededGenerator(seed: 7)
    var second = SeededGenerator(seed: 8)
    #expect((0..<10).map { _ in first.next() } != (0..<10).map { _ in second.next() })
}

@Test func integersStayInTheirRangeAndReachBothEnds() {
    var random = SeededGenerator(seed: 1)
    let draws = (0..<2_000).map { _ in random.int(in: -3...3) }
    #expect(draws.allSatisfy { (-3...3).contains($0) })
    #expect(Set(draws) == Set(-3...3))
    #expect((0..<100).allSatisfy { _ in random.int(in: 5..<6) == 5 })
}

@Test func weightedDrawsNeverPickAZeroWeight() {
    var random = SeededGenerator(seed: 2)
    let picks = (0..<1_000).map { _ in random.index(weightedBy: [3, 0, 1]) }
    #expect(!picks.contains(1))
    #expect(picks.filter { $0 == 0 }.count > picks.filter { $0 == 2 }.count)
}

@Test func chanceFollowsItsPercentage() {
    var random = SeededGenerator(seed: 3)
    #expect((0..<100).allSatisfy { _ in !random.chance(percent: 0) })
    #expect((0..<100).allSatisfy { _ in random.chance(percent: 100) })
}

@Test func digitsHaveTheRequestedLength() {
    var random = SeededGenerator(seed: 4)
    let digits = random.digits(32)
    #expect(digits.count == 32 && digits.allSatisfy(\.isASCIIDigit))
}
