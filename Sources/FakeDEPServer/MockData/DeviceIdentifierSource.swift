import Foundation

/// Draws the identifiers of new devices, unique within one inventory: serial numbers are
/// remembered in a set; IMEIs and MAC addresses are counters sent through keyed
/// permutations, so they need no memory.
struct DeviceIdentifierSource: Sendable {
    /// Apple's serial alphabet: digits and consonants (no vowels, hence no O or I).
    static let serialAlphabet = "0123456789BCDFGHJKLMNPQRSTVWXYZ"
    private static let serialBytes = Array(serialAlphabet.utf8)
    private static let hexBytes = Array("0123456789ABCDEF".utf8)
    /// Factory codes that open the 12-character serials of Macs made before 2021.
    private static let factories = ["C02", "C07", "FVF", "C1M"]
    /// Prefixes (OUIs) registered to Apple, for MAC addresses.
    private static let appleOUIs: [[UInt8]] = [
        [0xF0, 0x18, 0x98], [0x3C, 0x22, 0xFB], [0xA4, 0x83, 0xE7], [0xBC, 0xD0, 0x74], [0xF4, 0xD4, 0x88],
        [0xAC, 0xBC, 0x32], [0x8C, 0x85, 0x90], [0x14, 0x7D, 0xDA], [0x88, 0x66, 0x5A], [0xD0, 0x81, 0x7A],
    ]
    private let serialLengths: [Int]
    /// Per entry: the four characters closing its 12-character serials, and a hash that
    /// places its IMEI type allocation codes.
    private let modelCodes: [String]
    private let tacHashes: [Int]
    private let imeiKey: UInt32
    private let macKey: UInt32
    private var serials = Set<String>()
    private var imeisIssued: [Int]
    private var macsIssued = 0

    /// A source for `catalog`'s products, its offsets drawn from `random`.
    init(catalog: Catalog, random: inout SeededGenerator) {
        serialLengths = catalog.entries.map(\.serialLength)
        let hashes = catalog.entries.map { Self.stableHash($0.productType) }
        modelCodes = hashes.map { hash in
            String(decoding: (0..<4).map { Self.serialBytes[Int((hash >> ($0 * 8)) % 31)] }, as: UTF8.self)
        }
        tacHashes = hashes.map { Int($0 % 9_000) }
        imeisIssued = Array(repeating: 0, count: catalog.entries.count)
        imeiKey = UInt32(truncatingIfNeeded: random.next())
        macKey = UInt32(truncatingIfNeeded: random.next())
    }

    /// A serial for a device of catalogue entry `entry` that is neither issued yet nor `taken`.
    mutating func serial(for entry: Int, random: inout SeededGenerator, taken: (String) -> Bool) -> String {
        let length = serialLengths[entry]
        while true {
            let serial =
                length == 12
                ? random.pick(Self.factories) + Self.characters(5, &random) + modelCodes[entry]
                : Self.characters(length, &random)
            if !serials.contains(serial) && !taken(serial) {
                serials.insert(serial)
                return serial
            }
        }
    }

    /// The next IMEI of entry `entry`: `35`, six digits that stand for the entry (its type
    /// allocation code), six serial digits (a counter, scrambled) and the Luhn check digit;
    /// a new code every million devices.
    mutating func imei(for entry: Int) -> String {
        let issued = imeisIssued[entry]
        imeisIssued[entry] += 1
        let code = ((tacHashes[entry] + issued / 1_000_000 * 7) % 9_000 + 1_000) * 100 + entry % 100
        let serial = Self.scramble(UInt32(issued % 1_000_000), below: 1_000_000, bits: 20, key: imeiKey)
        let body = Array(("35" + Self.padded(code, 6) + Self.padded(Int(serial), 6)).utf8)
        let check = UInt8(48 + Self.luhnDigit(body))
        let space = UInt8(ascii: " ")
        return String(
            decoding: body[0..<2] + [space] + body[2..<8] + [space] + body[8..<14] + [space, check], as: UTF8.self)
    }

    /// An Apple eSIM EID: `89049032`, 22 drawn digits and two check digits that make the whole
    /// number 1 modulo 97.
    func eid(random: inout SeededGenerator) -> String {
        let body = "89049032" + random.digits(22)
        let remainder = body.utf8.reduce(0) { ($0 * 10 + Int($1 - 48)) % 97 }
        return body + Self.padded(98 - remainder * 100 % 97, 2)
    }

    /// The next MAC address: three bytes of a scrambled counter after an Apple OUI chosen by
    /// them, so that addresses repeat only after 2²⁴ of them per OUI.
    mutating func mac() -> String {
        let device = Self.scramble(UInt32(macsIssued & 0xFF_FFFF), below: 1 << 24, bits: 24, key: macKey)
        let oui = Self.appleOUIs[((macsIssued >> 24) + Int(device)) % Self.appleOUIs.count]
        macsIssued += 1
        var text: [UInt8] = []
        text.reserveCapacity(17)
        for byte in oui + [UInt8(device >> 16), UInt8((device >> 8) & 0xFF), UInt8(device & 0xFF)] {
            if !text.isEmpty { text.append(UInt8(ascii: ":")) }
            text.append(Self.hexBytes[Int(byte >> 4)])
            text.append(Self.hexBytes[Int(byte & 0x0F)])
        }
        return String(decoding: text, as: UTF8.self)
    }

    /// `value` (below `bound`, at most 2^`bits`) sent through a keyed permutation of the numbers
    /// below `bound`: xor-shift and odd-multiply rounds, each invertible on `bits` bits, repeated
    /// until the result falls below `bound` (cycle walking), so distinct inputs stay distinct.
    static func scramble(_ value: UInt32, below bound: UInt32, bits: UInt32, key: UInt32) -> UInt32 {
        let mask: UInt32 = (1 << bits) - 1
        let shift = bits / 2
        var result = value
        repeat {
            result = (result ^ key) & mask
            result ^= result >> shift
            result = (result &* 0x2C_1B3D) & mask
            result ^= result >> (shift - 1)
            result = (result &* 0x29_7A2D) & mask
            result ^= result >> shift
        } while result >= bound
        return result
    }

    /// The Luhn check digit that completes `digits` (ASCII).
    static func luhnDigit(_ digits: [UInt8]) -> Int {
        var sum = 0
        for (offset, byte) in digits.reversed().enumerated() {
            let digit = Int(byte - 48) * (offset % 2 == 0 ? 2 : 1)
            sum += digit > 9 ? digit - 9 : digit
        }
        return (10 - sum % 10) % 10
    }

    private static func characters(_ count: Int, _ random: inout SeededGenerator) -> String {
        String(decoding: (0..<count).map { _ in serialBytes[random.int(in: 0..<serialBytes.count)] }, as: UTF8.self)
    }

    private static func padded(_ value: Int, _ width: Int) -> String {
        let text = String(value)
        return String(repeating: "0", count: max(0, width - text.count)) + text
    }

    /// FNV-1a: unlike `hashValue`, the same in every process.
    private static func stableHash(_ text: String) -> UInt64 {
        text.utf8.reduce(0xCBF2_9CE4_8422_2325) { ($0 ^ UInt64($1)) &* 0x100_0000_01B3 }
    }
}
