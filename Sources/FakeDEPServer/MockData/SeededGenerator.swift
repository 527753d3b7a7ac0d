/// A pseudo-random generator whose whole output follows from one 64-bit seed: xoshiro256**,
/// its state filled by SplitMix64 (the seeding its authors recommend).
///
/// `fakedep seed --seed S` must give the same inventory on every machine, run and Swift
/// version, so draw through the helpers below, which are written here, and not through the
/// standard library's `random(in:using:)`, `randomElement(using:)` or `shuffled(using:)`,
/// whose algorithms are not promised to stay the same.
struct SeededGenerator: RandomNumberGenerator, Sendable {
    private var s0: UInt64
    private var s1: UInt64
    private var s2: UInt64
    private var s3: UInt64

    /// A generator whose sequence is fixed by `seed`.
    init(seed: UInt64) {
        var mix = seed
        s0 = Self.splitMix(&mix)
        s1 = Self.splitMix(&mix)
        s2 = Self.splitMix(&mix)
        s3 = Self.splitMix(&mix)
    }

    /// The next 64 random bits (xoshiro256**).
    mutating func next() -> UInt64 {
        let result = Self.rotateLeft(s1 &* 5, by: 7) &* 9
        let shifted = s1 << 17
        s2 ^= s0
        s3 ^= s1
        s1 ^= s2
        s0 ^= s3
        s2 ^= shifted
        s3 = Self.rotateLeft(s3, by: 45)
        return result
    }

    /// A number below `bound` (which must be positive), every value equally likely: Lemire's
    /// multiply-shift with rejection of the few biased products.
    mutating func below(_ bound: UInt64) -> UInt64 {
        precondition(bound > 0, "empty range")
        var product = next().multipliedFullWidth(by: bound)
        if product.low < bound {
            let threshold = (0 &- bound) % bound
            while product.low < threshold {
                product = next().multipliedFullWidth(by: bound)
            }
        }
        return product.high
    }

    /// An integer of `range`, every value equally likely.
    mutating func int(in range: Range<Int>) -> Int {
        precondition(!range.isEmpty, "empty range")
        let width = UInt64(bitPattern: Int64(range.upperBound &- range.lowerBound))
        return range.lowerBound &+ Int(truncatingIfNeeded: below(width))
    }

    /// An integer of `range`, every value equally likely.
    mutating func int(in range: ClosedRange<Int>) -> Int {
        int(in: range.lowerBound..<(range.upperBound + 1))
    }

    /// `true` with probability `percent` in 100.
    mutating func chance(percent: Int) -> Bool {
        below(100) < UInt64(max(0, percent))
    }

    /// One element of `elements` (which must not be empty), each equally likely.
    mutating func pick<Elements: RandomAccessCollection>(_ elements: Elements) -> Elements.Element {
        elements[elements.index(elements.startIndex, offsetBy: int(in: 0..<elements.count))]
    }

    /// An index of `weights`, each chosen in proportion to its (non-negative) weight.
    mutating func index(weightedBy weights: [Int]) -> Int {
        var draw = int(in: 0..<weights.reduce(0, +))
        for (index, weight) in weights.enumerated() {
            if draw < weight { return index }
            draw -= weight
        }
        return weights.count - 1
    }

    /// `count` decimal digits, leading zeros allowed.
    mutating func digits(_ count: Int) -> String {
        String(decoding: (0..<count).map { _ in UInt8(48 + below(10)) }, as: UTF8.self)
    }

    private static func splitMix(_ state: inout UInt64) -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var mixed = state
        mixed = (mixed ^ (mixed >> 30)) &* 0xBF58_476D_1CE4_E5B9
        mixed = (mixed ^ (mixed >> 27)) &* 0x94D0_49BB_1331_11EB
        return mixed ^ (mixed >> 31)
    }

    private static func rotateLeft(_ value: UInt64, by amount: UInt64) -> UInt64 {
        (value << amount) | (value >> (64 - amount))
    }
}
