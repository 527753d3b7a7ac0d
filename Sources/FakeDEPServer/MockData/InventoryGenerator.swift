import Foundation

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
