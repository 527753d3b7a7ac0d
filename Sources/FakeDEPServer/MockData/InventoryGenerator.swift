import Foundation

/// One purchase of the organisation: the devices Apple or a reseller enrolled under one order
/// number, which the portal can assign as a whole (dep-api §8).
struct GeneratedOrder: Sendable, Hashable {
    /// Our style, as Apple publishes none: `D` and nine digits, e.g. `D482915307`.
    var number: String
    /// When the order was placed, in whole seconds.
    var date: Date
    /// `APPLE` for a direct purchase, else the reseller's id: `RESELLER-` and seven digits.
    var purchaseSource: String
    var devices: [GeneratedDevice]
}

/// One device as Apple knows it from the sale: the fields of the Device object that never
/// change (dep-api §3.10), plus the product type and part number the portal shows.
struct GeneratedDevice: Sendable, Hashable {
    var serial: String
    var model: String
    /// Order-line style: prefix, colour and capacity, e.g. `IPHONE 15 BLACK 128GB`.
    var description: String
    var color: String?
    var os: String
    var family: String
    var productType: String
    /// The catalogue's four characters, one for colour and capacity, then `LL/A`: `MTP03LL/A`.
    var partNumber: String
    var capacity: String?
    /// 15 digits with a Luhn check digit, grouped as Apple prints them: `35 123456 789012 3`.
    /// Two on iPhones (dual SIM), one on cellular iPads.
    var imei: [String]?
    /// The first IMEI's 14 digits, grouped the same way, on CDMA-capable models.
    var meid: [String]?
    /// 32 digits of an eSIM's EID, its last two a mod-97 check.
    var eid: String?
    /// Colon-separated upper-case hex: `F0:18:98:3A:4B:5C`.
    var wifiMAC: String?
    var ethernetMAC: String?
    var bluetoothMAC: String?
}

/// Makes an organisation's purchase history from a catalogue, reproducibly: the same
/// catalogue, seed, size and end date give the same orders on every machine and run.
///
/// Orders come out oldest first through `nextOrder`, so a million-device inventory is never
/// held at once; only issued serials and order numbers are remembered, to keep them unique.
/// An order has 1 to 500 devices (most have few) on one to three order lines, and is dated
/// within the two years before the end date, by the share of the inventory issued before it.
struct InventoryGenerator: Sendable {
    /// How many devices the whole inventory has.
    let deviceCount: Int
    /// How many devices the orders so far hold.
    private(set) var issuedDevices = 0
    let catalog: Catalog
    private var random: SeededGenerator
    private var identifiers: DeviceIdentifierSource
    private let weights: [Int]
    private let firstSecond: Double
    private let historySeconds: Double
    private let resellers: [String]
    private var orderNumbers = Set<String>()

    /// A generator of `deviceCount` devices whose orders fall in the two years before `end`.
    init(catalog: Catalog, seed: UInt64, deviceCount: Int, endingAt end: Date) {
        self.catalog = catalog
        self.deviceCount = max(0, deviceCount)
        weights = catalog.entries.map(\.weight)
        random = SeededGenerator(seed: seed)
        identifiers = DeviceIdentifierSource(catalog: catalog, random: &random)
        let day = 86_400.0
        firstSecond = end.timeIntervalSince1970.rounded(.down) - 730 * day
        historySeconds = 729 * day
        var resellers: [String] = []
        for _ in 0..<random.int(in: 1...3) {
            resellers.append("RESELLER-\(random.int(in: 1_000_000...9_999_999))")
        }
        self.resellers = resellers
    }

    /// Devices still to come before the inventory is complete.
    var remainingDevices: Int { deviceCount - issuedDevices }

    /// The next order, or `nil` once the inventory is complete. No serial for which
    /// `serialsTaken` holds and no order number for which `orderNumbersTaken` holds is issued,
    /// so an inventory can be added to a store that already has devices.
    mutating func nextOrder(
        serialsTaken: (String) -> Bool = { _ in false }, orderNumbersTaken: (String) -> Bool = { _ in false }
    ) -> GeneratedOrder? {
        guard remainingDevices > 0 else { return nil }
        let size = min(drawOrderSize(), remainingDevices)
        let lineCount = size < 4 ? 1 : random.int(in: 1...3)
        var lines: [OrderLine] = []
        var unplaced = size
        for line in 0..<lineCount {
            let linesAfter = lineCount - line - 1
            let count = linesAfter == 0 ? unplaced : random.int(in: 1...(unplaced - linesAfter))
            lines.append(drawLine(entry: random.index(weightedBy: weights), count: count))
            unplaced -= count
        }
        return makeOrder(lines, serialsTaken: serialsTaken, orderNumbersTaken: orderNumbersTaken)
    }

    /// A whole inventory at once, for small counts; large ones should stream with `nextOrder`.
    static func orders(
        catalog: Catalog, seed: UInt64, deviceCount: Int, endingAt end: Date,
        serialsTaken: (String) -> Bool = { _ in false }
    ) -> [GeneratedOrder] {
        var generator = InventoryGenerator(catalog: catalog, seed: seed, deviceCount: deviceCount, endingAt: end)
        var orders: [GeneratedOrder] = []
        while let order = generator.nextOrder(serialsTaken: serialsTaken) {
            orders.append(order)
        }
        return orders
    }

    /// A part number and how many devices of it an order holds.
    private struct OrderLine {
        var entry: Int
        var color: String?
        var capacity: String?
        var partNumber: String
        var count: Int
    }

    /// A line of `count` devices of catalogue entry `index` in a drawn colour and capacity;
    /// smaller capacities are drawn more often, as organisations buy them more.
    private mutating func drawLine(entry index: Int, count: Int) -> OrderLine {
        let entry = catalog.entries[index]
        let color = entry.colors.isEmpty ? nil : random.int(in: 0..<entry.colors.count)
        let capacity =
            entry.capacities.isEmpty
            ? nil : min(random.int(in: 0..<entry.capacities.count), random.int(in: 0..<entry.capacities.count))
        let variant = (color ?? 0) * max(1, entry.capacities.count) + (capacity ?? 0)
        let codes = Array("0123456789ABCDEFGHJKLMNPQRSTUVWXYZ")
        return OrderLine(
            entry: index, color: color.map { entry.colors[$0] }, capacity: capacity.map { entry.capacities[$0] },
            partNumber: entry.partNumberPrefix + String(codes[variant % codes.count]) + "LL/A", count: count)
    }

    /// The order of `lines`, numbered, sourced, dated and filled with new devices.
    private mutating func makeOrder(
        _ lines: [OrderLine], serialsTaken: (String) -> Bool, orderNumbersTaken: (String) -> Bool
    ) -> GeneratedOrder {
        let size = lines.reduce(0) { $0 + $1.count }
        let position = Double(issuedDevices) + Double(random.int(in: 0..<(size * 1_000))) / 1_000
        let offset = (historySeconds * position / Double(max(deviceCount, issuedDevices + size))).rounded(.down)
        var number: String
        repeat {
            number = "D\(random.int(in: 100_000_000...999_999_999))"
        } while orderNumbers.contains(number) || orderNumbersTaken(number)
        orderNumbers.insert(number)
        let source = random.chance(percent: 40) ? "APPLE" : random.pick(resellers)
        var devices: [GeneratedDevice] = []
        devices.reserveCapacity(size)
        for line in lines {
            for _ in 0..<line.count {
                devices.append(makeDevice(line, serialsTaken: serialsTaken))
            }
        }
        issuedDevices += size
        return GeneratedOrder(
            number: number, date: Date(timeIntervalSince1970: firstSecond + offset), purchaseSource: source,
            devices: devices)
    }

    /// Many small orders, some large: 45 % have 1–5 devices, 30 % 6–25, 17 % 26–100, 8 % 101–500.
    private mutating func drawOrderSize() -> Int {
        switch random.int(in: 0..<100) {
        case ..<45: random.int(in: 1...5)
        case ..<75: random.int(in: 6...25)
        case ..<92: random.int(in: 26...100)
        default: random.int(in: 101...500)
        }
    }

    /// One new device of `line`, its identifiers drawn for what its product carries.
    private mutating func makeDevice(_ line: OrderLine, serialsTaken: (String) -> Bool) -> GeneratedDevice {
        let entry = catalog.entries[line.entry]
        let serial = identifiers.serial(for: line.entry, random: &random, taken: serialsTaken)
        var imei: [String]?
        if entry.hasIMEI {
            imei = (0..<(entry.family == "iPhone" ? 2 : 1)).map { _ in identifiers.imei(for: line.entry) }
        }
        return GeneratedDevice(
            serial: serial, model: entry.model,
            description: [entry.descriptionPrefix, line.color, line.capacity].compactMap { $0 }.joined(separator: " "),
            color: line.color, os: entry.os, family: entry.family, productType: entry.productType,
            partNumber: line.partNumber, capacity: line.capacity, imei: imei,
            meid: entry.hasMEID ? imei.map { [String($0[0].dropLast(2))] } : nil,
            eid: entry.hasEID ? identifiers.eid(random: &random) : nil,
            wifiMAC: entry.hasWiFi ? identifiers.mac() : nil,
            ethernetMAC: entry.hasEthernet ? identifiers.mac() : nil,
            bluetoothMAC: entry.hasBluetooth ? identifiers.mac() : nil)
    }
}

extension InventoryGenerator {
    /// The seed of the default organisation's inventory; changing it changes every device.
    static let mockOrganisationSeed: UInt64 = 0x0AC3_E000_2011_0301

    /// Each order of the default organisation as lines of a device family and a count.
    private static let mockOrganisationPlan: [[(family: String, count: Int)]] = [
        [("iPhone", 24), ("iPhone", 8)],
        [("Mac", 14), ("Mac", 6)],
        [("iPad", 12), ("AppleTV", 3)],
        [("iPhone", 6), ("Mac", 4), ("iPad", 3), ("Vision", 2)],
    ]

    /// The default organisation's inventory: four orders, 82 devices, every family, drawn with
    /// `mockOrganisationSeed` so that the devices never change; only the dates follow `end`.
    static func mockOrganisationOrders(catalog: Catalog, endingAt end: Date) -> [GeneratedOrder] {
        let total = mockOrganisationPlan.joined().reduce(0) { $0 + $1.count }
        var generator = InventoryGenerator(
            catalog: catalog, seed: mockOrganisationSeed, deviceCount: total, endingAt: end)
        return mockOrganisationPlan.map { generator.plannedOrder($0) }
    }

    /// An order of `plan`'s lines, each a product of the family drawn by weight (any product
    /// when the catalogue has none of that family).
    private mutating func plannedOrder(_ plan: [(family: String, count: Int)]) -> GeneratedOrder {
        var lines: [OrderLine] = []
        for (family, count) in plan {
            let inFamily = catalog.entries.indices.filter { catalog.entries[$0].family == family }
            let pool = inFamily.isEmpty ? Array(catalog.entries.indices) : inFamily
            let entry = pool[random.index(weightedBy: pool.map { catalog.entries[$0].weight })]
            lines.append(drawLine(entry: entry, count: count))
        }
        return makeOrder(lines, serialsTaken: { _ in false }, orderNumbersTaken: { _ in false })
    }
}

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
